// Worker threads started from the TypeScript sources (vitest, tsx) begin here: register tsx in this
// thread, then run the module startWorker (src/worker-url.ts) put at the end of argv.
import { register } from 'tsx/esm/api';
register();
await import(process.argv.pop());
