/**
 * Cameras: where a camera terminal looks and where its video comes from.
 *
 * A camera's pose travels city source → twin package → API on the terminal's record
 * (`TerminalProps.camera`), so the live view, the frustum drawn in 3D, video fusion and
 * "which cameras see this site" all use the same numbers. Angles follow Cesium's
 * heading/pitch convention so the client can use them as they are.
 */

/** How a camera is mounted and pointed. */
export interface CameraPose {
  lon: number;
  lat: number;
  /** Lens height above the ground, metres (the mount on its pole). */
  heightM: number;
  /** Degrees clockwise from north. */
  headingDeg: number;
  /** Degrees, negative looks down (−90 straight down). */
  pitchDeg: number;
  /** Horizontal field of view, degrees. */
  hfovDeg: number;
  /** Image width ÷ height (16:9 unless the camera says otherwise). */
  aspect: number;
  /** How far the camera usefully sees, metres (the far plane of its frustum). */
  rangeM: number;
}

/** Stream protocols a camera's video can come in, as a media server publishes them. */
export const STREAM_PROTOCOLS = ['hls', 'flv', 'whep'] as const;
export type StreamProtocol = (typeof STREAM_PROTOCOLS)[number];

/** One stream endpoint of a camera. `url` may be relative to the citytwin server. */
export interface CameraStream {
  protocol: StreamProtocol;
  url: string;
}

/** What a camera terminal's registry record carries beyond any terminal's. */
export interface CameraInfo {
  pose: CameraPose;
  /**
   * External endpoints (a real city's media server). Empty: the demo server's own encoder
   * serves the camera (`embedded`), or the camera has no stream and the client shows the
   * twin's view from its pose.
   */
  streams: CameraStream[];
  /** True when citytwin's embedded encoder renders this camera's video (demo cities). */
  embedded: boolean;
}
