import type { Role } from '../db/schema.js';

export type { Role };
export const ROLES: readonly Role[] = ['viewer', 'responder', 'admin'];

/** Who is asking: the audit name and the role that decides what they may do and see. */
export interface Caller {
  actor: string;
  role: Role;
}

/** Roles are ordered: an admin may do what a responder may, who may do what a viewer may. */
export function hasRole(caller: Caller, minimum: Role): boolean {
  return ROLES.indexOf(caller.role) >= ROLES.indexOf(minimum);
}

/** Exposed values and recipient addresses: never for a viewer, whatever the transport. */
export function readsValues(caller: Caller): boolean {
  return caller.role !== 'viewer';
}

/** The command line: whoever can run it can read the database and the key, so it acts as admin. */
export function operator(actor: string): Caller {
  return { actor, role: 'admin' };
}
