// Node 20 does not give a worker thread the loader its process runs under (tsx): register
// it here, then run the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./xlsx-worker.ts');
