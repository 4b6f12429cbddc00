// Spreadsheet formula injection (OWASP, "CSV Injection"): Excel, LibreOffice and Google Sheets run a cell that begins
// with = + - @, a tab or a carriage return as a formula, so a school named "=HYPERLINK(...)" in GIAS would become a
// live link in every export that names it. Every CSV this service writes, the server's and the dashboard's downloads,
// passes its cells through here (the client imports this file, as it does the API contract).

const FORMULA_START = /^[=+\-@\t\r]/;
/**
 * A number written as text, such as "-3.2" or "+1.5e3": a spreadsheet reads it as that number and runs nothing, and a
 * quote would turn it into text that no longer adds up. Anything more ("-1+A1", "-3.2 ") is not a plain number.
 */
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A CSV cell that a spreadsheet takes as text: text it would run as a formula gets a leading single quote (OWASP's
 * advice; some spreadsheets show the quote). Numbers, booleans and empty cells are returned as they are.
 */
export function csvCell<T>(value: T): T | string {
  return typeof value === 'string' && FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}
