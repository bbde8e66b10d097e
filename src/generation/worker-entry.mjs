// Worker threads start here: register the TypeScript loader, then run the generation worker.
import { register } from 'tsx/esm/api';
register();
await import('./generation-worker.ts');
