// Error messages quote back what was sent, so the sender can find it; a value can be a whole file (a 40 MB "pupil
// identifier"), and a 400 that repeats it costs both ends the upload again. Every message that quotes input cuts it
// here.

/** The most of a sent value a message quotes: enough to recognise it. */
export const ECHO_LIMIT = 40;
/** The most of a library's message (a CSV parser's) that is passed on: it may carry a value we cannot pick out. */
export const MESSAGE_LIMIT = 200;

/** A sent value as a message quotes it: in double quotes, cut to ECHO_LIMIT characters and '…'. */
export function quoted(value: string): string {
  return `"${excerpt(value)}"`;
}

/** Text cut to `max` characters and '…'. */
export function excerpt(text: string, max = ECHO_LIMIT): string {
  if (text.length <= max) return text;
  // Never half a surrogate pair: the cut text stays valid UTF-16, and so valid JSON.
  const end = /[\uD800-\uDBFF]/.test(text[max - 1]) ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}
