import type { Clock } from '../adapters/clock.js';
import type { Ids } from '../adapters/ids.js';
import type { SecretBox } from '../adapters/secret-box.js';
import type { UnitOfWork } from '../db/repositories.js';

/** What every service may use; each takes only what it names from it. */
export interface ServiceDeps {
  uow: UnitOfWork;
  clock: Clock;
  ids: Ids;
  actor: string;
  box: SecretBox;
}
