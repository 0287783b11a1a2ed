import { CONSOLE_BASE } from '../config';
import type { LayoutRequest, LayoutResult } from './layout.types';

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, (result: LayoutResult) => void>();

function layoutWorker(): Worker {
  if (!worker) {
    worker = new Worker(`${CONSOLE_BASE}/assets/${__LAYOUT_WORKER__}`);
    worker.onmessage = (event: MessageEvent<LayoutResult>) => {
      pending.get(event.data.id)?.(event.data);
      pending.delete(event.data.id);
    };
  }
  return worker;
}

/** Lays out a graph in the web worker; the page stays responsive meanwhile. */
export function requestLayout(nodes: string[], edges: [string, string][]): Promise<LayoutResult> {
  const id = nextId++;
  const request: LayoutRequest = { id, nodes, edges };
  return new Promise((resolve, reject) => {
    pending.set(id, (result) =>
      result.error ? reject(new Error(`layout failed: ${result.error}`)) : resolve(result),
    );
    layoutWorker().postMessage(request);
  });
}
