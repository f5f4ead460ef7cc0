import type { LiveStatus } from '../../../../domain/terminals';

/** One palette for the 3D layer and the legend, chosen to read on a dark arc screen. */
export const STATUS_COLORS: Record<LiveStatus, string> = {
  unknown: '#6b7585',
  normal: '#35d07f',
  warning: '#ffb020',
  fault: '#ff3b30',
  offline: '#9aa3b2',
};
