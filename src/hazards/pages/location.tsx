// A hazard's places on the office's and its units' pages: the coordinates, how precise, and links that open 高德地图 and
// 百度地图 at the point (converted to GCJ-02 / BD-09 by src/lib/geo.ts).
import type { LocationView } from '../location-store.ts';

function Place(props: { label: string; p: LocationView }) {
  const { p } = props;
  return (
    <p>
      <strong>{props.label}：</strong>
      {`${p.lat.toFixed(6)}, ${p.lng.toFixed(6)}`}（WGS-84，精度约 {Math.round(p.accuracy)} 米） ·{' '}
      <a href={p.mapLinks.amap} rel="noopener noreferrer" target="_blank">
        在高德地图打开
      </a>{' '}
      ·{' '}
      <a href={p.mapLinks.baidu} rel="noopener noreferrer" target="_blank">
        在百度地图打开
      </a>
    </p>
  );
}

export function HazardPlaces(props: { location: LocationView | null; fixLocation: LocationView | null }) {
  if (!props.location && !props.fixLocation) return null;
  return (
    <div class="card">
      <h2>位置</h2>
      {props.location ? <Place label="反映时的位置" p={props.location} /> : null}
      {props.fixLocation ? <Place label="报告整改时的位置" p={props.fixLocation} /> : null}
    </div>
  );
}

/** Beside a duplicate candidate found by distance. */
export const distanceNote = (d: { distanceMetres?: number }) => (d.distanceMetres !== undefined ? ` · 相距约 ${d.distanceMetres} 米` : '');
