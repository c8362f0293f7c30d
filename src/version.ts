import { createRequire } from 'node:module';

/** The importer version recorded with every dataset, for its chain of custody. */
export const VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string })
  .version;
