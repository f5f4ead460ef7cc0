/** A time–space diagram as a standalone SVG document (time-space.svg beside result.json). */
import type { TimeSpaceDiagram } from './timeSpace';
import { DIAGRAM_COLOURS, layoutTimeSpace } from './timeSpaceLayout';

const escapeXml = (s: string): string =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

export function timeSpaceSvg(diagram: TimeSpaceDiagram, title: string): string {
  const l = layoutTimeSpace(diagram);
  const f = (v: number): string => v.toFixed(1);
  const { x, y, width: w, height: h } = l.plot;
  const lines: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${l.width}" height="${l.height}" viewBox="0 0 ${l.width} ${l.height}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    `<defs><clipPath id="plot"><rect x="${f(x)}" y="${f(y)}" width="${f(w)}" height="${f(h)}"/></clipPath></defs>`,
    `<rect x="0" y="0" width="${l.width}" height="${l.height}" fill="#fff"/>`,
    `<g clip-path="url(#plot)">`,
    ...l.bands.map((b) => `<polygon points="${b.points}" fill="${DIAGRAM_COLOURS[b.direction]}" stroke="none"/>`),
    ...l.bars.map((b) => `<rect x="${f(b.x)}" y="${f(b.y)}" width="${f(b.width)}" height="${b.height}" fill="${DIAGRAM_COLOURS[b.state]}"/>`),
    `</g>`,
    `<rect x="${f(x)}" y="${f(y)}" width="${f(w)}" height="${f(h)}" fill="none" stroke="${DIAGRAM_COLOURS.axis}"/>`,
    ...l.timeTicks.map((t) => `<text x="${f(t.x)}" y="${f(y + h + 14)}" text-anchor="middle" fill="${DIAGRAM_COLOURS.axis}">${t.label}</text>`),
    `<text x="${f(x + w / 2)}" y="${f(y + h + 30)}" text-anchor="middle" fill="${DIAGRAM_COLOURS.axis}">time (s)</text>`,
    ...l.stations.map((s) => `<text x="${f(x - 6)}" y="${f(s.y + 4)}" text-anchor="end" fill="${DIAGRAM_COLOURS.axis}">${escapeXml(s.label)}</text>`),
    // Legend in the bottom-left corner, under the station labels.
    ...(['outbound', 'inbound'] as const).map((d, i) => {
      const ly = l.height - 24 + i * 14;
      return `<rect x="6" y="${ly - 8}" width="12" height="9" fill="${DIAGRAM_COLOURS[d]}"/><text x="22" y="${ly}" fill="${DIAGRAM_COLOURS.axis}">${d} band</text>`;
    }),
    `</svg>`,
  ];
  return lines.join('\n') + '\n';
}
