import { SetMetadata } from '@nestjs/common';
import type { Role } from '../contract/vocabulary.js';

export const ROLES_KEY = 'roles';
/** Only these roles may call the handler; without it the handler is public (a token, if sent, must still be valid). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
