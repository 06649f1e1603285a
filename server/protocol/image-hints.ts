/** GET /api/environments/:id/images/:image/hints: what the image's layers could lose. */
export interface ImageSizeHints {
  layers: number;
  size: number;
  largest: { layer: number; size: number; createdBy: string }[];
  chainableRuns: { steps: number[]; commands: string[] }[];
  caches: { layer: number; createdBy: string; manager: string; path: string; size: number }[];
  wasted: { path: string; size: number; addedBy: string; deletedBy: string }[];
  wastedBytes: number;
}

export function imageHintsPath(env: string, image: string): string {
  return `/api/environments/${encodeURIComponent(env)}/images/${encodeURIComponent(image)}/hints`;
}
