/**
 * Where a fused camera's pictures come from: a playing <video> (the camera's live stream, through
 * the live view's player) or a canvas. Fusion copies the element into a texture whenever
 * `frame()` moves on, and asks the scene for a render on each new frame (the twin renders only on
 * demand), so a 15 fps stream costs 15 renders a second, not 60.
 */
export interface VideoSource {
  readonly element: HTMLVideoElement | HTMLCanvasElement;
  /** Counts the frames seen; changes whenever a new picture is there to copy. */
  frame(): number;
  /** True once the element holds a picture. */
  ready(): boolean;
  /** Calls `listener` on every new frame; returns the way to stop. */
  onFrame(listener: () => void): () => void;
  dispose(): void;
}

/** A playing video element: frames from requestVideoFrameCallback (Chromium, Safari, Firefox 132+). */
/** `release`: what stopping takes beyond the frame callbacks (the player, the element's source). */
export function videoElementSource(video: HTMLVideoElement, release?: () => void): VideoSource {
  let frames = 0;
  const listeners = new Set<() => void>();
  let handle = 0;
  let stopped = false;
  const tick = (): void => {
    frames += 1;
    for (const l of listeners) l();
    if (!stopped) handle = video.requestVideoFrameCallback(tick);
  };
  handle = video.requestVideoFrameCallback(tick);
  return {
    element: video,
    frame: () => frames,
    ready: () => video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0,
    onFrame(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      stopped = true;
      video.cancelVideoFrameCallback(handle);
      listeners.clear();
      release?.();
    },
  };
}

/**
 * A test pattern drawn on a canvas at `fps`: a grid over a background whose hue turns every
 * frame, a bar sweeping across, the camera id and a
 * frame counter. What the browser test fuses to check the projection path when no encoder runs,
 * and what a deployment can fuse to check a camera's alignment (the grid's lines are straight in
 * the picture, so they must lie straight on the twin).
 */
export function testPatternSource(label: string, width = 640, height = 360, fps = 15): VideoSource {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext('2d')!;
  let frames = 0;
  const listeners = new Set<() => void>();
  const draw = (): void => {
    frames += 1;
    // The background's hue turns every frame, so every pixel of the picture changes.
    g.fillStyle = `hsl(${(frames * 29) % 360}, 70%, 40%)`;
    g.fillRect(0, 0, width, height);
    g.strokeStyle = '#3fb6ff';
    g.lineWidth = 3;
    for (let x = 0; x <= width; x += width / 8) g.strokeRect(x, 0, 0, height);
    for (let y = 0; y <= height; y += height / 6) g.strokeRect(0, y, width, 0);
    // A bright bar sweeping left to right once every two seconds: pixels change every frame.
    const barX = ((frames % (fps * 2)) / (fps * 2)) * width;
    g.fillStyle = '#ffd166';
    g.fillRect(barX, 0, width / 10, height);
    g.fillStyle = '#ff4d6d';
    g.fillRect(0, 0, width, height / 12);
    g.fillStyle = '#ffffff';
    g.font = `${Math.round(height / 10)}px sans-serif`;
    g.fillText(`${label} #${frames}`, width / 20, height / 4);
    for (const l of listeners) l();
  };
  draw();
  const timer = setInterval(draw, 1000 / fps);
  return {
    element: canvas,
    frame: () => frames,
    ready: () => true,
    onFrame(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      clearInterval(timer);
      listeners.clear();
    },
  };
}
