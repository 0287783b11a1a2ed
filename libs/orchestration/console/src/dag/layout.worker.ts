import { layoutGraph } from './layout';
import type { LayoutRequest, LayoutResult } from './layout.types';

/** The layout runs here, off the page's main thread: a big graph never blocks the tab. */
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<LayoutRequest>) => void) | null;
  postMessage(message: LayoutResult): void;
};

scope.onmessage = (event) => {
  try {
    scope.postMessage(layoutGraph(event.data));
  } catch (error) {
    scope.postMessage({
      id: event.data.id,
      width: 0,
      height: 0,
      boxes: [],
      edges: [],
      ms: 0,
      collapsedLevels: 0,
      error: (error as Error).message,
    });
  }
};
