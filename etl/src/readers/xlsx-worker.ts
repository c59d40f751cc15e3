import { parentPort, workerData } from 'node:worker_threads';
import { sheetBatches, type SheetJob, type SheetMessage } from './xlsx-sheet.js';
import { Zip } from './xlsx-zip.js';

/**
 * The worker thread of a large sheet (xlsx.ts starts it through xlsx-worker.mjs): inflates
 * and scans the sheet while the loader validates and COPYs the rows before, so the two
 * overlap on two cores. At most AHEAD batches wait unread in the loader (each read one is
 * acknowledged), so memory stays bounded however far the scan could run ahead.
 */
const AHEAD = 4;
const port = parentPort!;
const job = workerData as SheetJob;
let credit = AHEAD;
let wake: (() => void) | null = null;
port.on('message', () => {
  credit++;
  wake?.();
  wake = null;
});
const post = (m: SheetMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

let zip: Zip | null = null;
try {
  zip = await Zip.open(job.path);
  const batches = sheetBatches(zip, job.part, job.dateStyles, job.date1904);
  for (;;) {
    const r = await batches.next();
    if (r.done) {
      post({ kind: 'end', merges: r.value });
      break;
    }
    while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
    credit--;
    post({ kind: 'rows', batch: r.value }, [r.value.bytes.buffer as ArrayBuffer, r.value.cells.buffer as ArrayBuffer]);
  }
} catch (err) {
  post({ kind: 'error', message: (err as Error).message });
} finally {
  zip?.close();
}
