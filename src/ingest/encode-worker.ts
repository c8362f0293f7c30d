import { parentPort, workerData } from 'node:worker_threads';
import { openSharedKeys } from '../adapters/secret-box.js';
import type { WorkerReply, WorkerRequest } from '../adapters/worker-pool.js';
import { FORMAT_SPECS } from '../core/formats/format-specs.js';
import { createRecordReader } from '../core/profile-record.js';
import type { EncodeWorkerData, ThreadEncoded } from './encode-pool.js';
import { encodeRawBatch, type RawBatch } from './raw-batch.js';
import { RecordEncoder } from './record-encoder.js';

const data = workerData as EncodeWorkerData;
const reader = createRecordReader({
  format: FORMAT_SPECS[data.format],
  orgKeys: data.orgKeys,
  mapping: new Map(data.mapping),
});
const encoder = new RecordEncoder(openSharedKeys(data.keys));

parentPort?.on('message', ({ id, request }: WorkerRequest<RawBatch>) => {
  let reply: WorkerReply<ThreadEncoded>;
  try {
    const started = performance.now();
    const rows = encodeRawBatch(request, reader, encoder);
    reply = { id, result: { rows, busyMs: performance.now() - started } };
  } catch (error) {
    // The error's name only: a message could quote the record being read.
    reply = { id, error: error instanceof Error ? error.name : 'error' };
  }
  // The sealed value blocks move, not copy: the bulk of a batch, not strings in either heap.
  const transfer =
    'result' in reply ? reply.result.rows.values.sealed.map((text) => text.buffer as ArrayBuffer) : [];
  parentPort?.postMessage(reply, transfer);
});
