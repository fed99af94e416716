// Coordinates for Chinese map services without an API key: WGS-84 (what a browser's geolocation gives) to GCJ-02
// (高德) and BD-09 (百度), their URI-scheme links, distances and the coarse grid cell the sheet may show.

export interface LatLng {
  lat: number;
  lng: number;
}

/** Krasovsky 1940, the ellipsoid GCJ-02's offset is defined on. */
const A = 6378245.0;
const EE = 0.00669342162296594323;
const X_PI = (Math.PI * 3000.0) / 180.0;

/** GCJ-02 is only offset inside mainland China; elsewhere it equals WGS-84. */
export function outOfChina(p: LatLng): boolean {
  return p.lng < 72.004 || p.lng > 137.8347 || p.lat < 0.8293 || p.lat > 55.8271;
}

function offsetLat(x: number, y: number): number {
  let r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return r;
}

function offsetLng(x: number, y: number): number {
  let r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return r;
}

/** WGS-84 → GCJ-02 (the published "eviltransform" algorithm). */
export function wgs84ToGcj02(p: LatLng): LatLng {
  if (outOfChina(p)) return { lat: p.lat, lng: p.lng };
  let dLat = offsetLat(p.lng - 105.0, p.lat - 35.0);
  let dLng = offsetLng(p.lng - 105.0, p.lat - 35.0);
  const radLat = (p.lat / 180.0) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  dLng = (dLng * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return { lat: p.lat + dLat, lng: p.lng + dLng };
}

/** GCJ-02 → BD-09 (百度经纬度, bd09ll). */
export function gcj02ToBd09(p: LatLng): LatLng {
  const z = Math.sqrt(p.lng * p.lng + p.lat * p.lat) + 0.00002 * Math.sin(p.lat * X_PI);
  const theta = Math.atan2(p.lat, p.lng) + 0.000003 * Math.cos(p.lng * X_PI);
  return { lat: z * Math.sin(theta) + 0.006, lng: z * Math.cos(theta) + 0.0065 };
}

export const wgs84ToBd09 = (p: LatLng): LatLng => gcj02ToBd09(wgs84ToGcj02(p));

/** Great-circle distance in metres (haversine, mean earth radius). */
export function distanceMetres(a: LatLng, b: LatLng): number {
  const R = 6371008.8;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Degrees of latitude and longitude that span `metres` at a latitude: the box an index can search before the exact distance. */
export function degreesAround(lat: number, metres: number): { dLat: number; dLng: number } {
  const dLat = metres / 111_320;
  const dLng = metres / (111_320 * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
  return { dLat, dLng };
}

/** The south-west corner of the ~100 m grid cell holding a point (0.001° of latitude ≈ 111 m): all the sheet may show. */
export function gridCell(p: LatLng): string {
  const cell = (x: number) => (Math.floor(x * 1000) / 1000).toFixed(3);
  return `${cell(p.lat)},${cell(p.lng)}`;
}

const fixed6 = (x: number) => x.toFixed(6);

/**
 * Links that open 高德地图 and 百度地图 at a WGS-84 point, by their web URI schemes (no API key): 高德 takes GCJ-02
 * (`coordinate=gaode`), 百度 BD-09 (`coord_type=bd09ll`); each converted here rather than trusting the service to.
 */
export function mapLinks(p: LatLng, title = '隐患位置'): { amap: string; baidu: string } {
  const g = wgs84ToGcj02(p);
  const b = wgs84ToBd09(p);
  const amap = `https://uri.amap.com/marker?position=${fixed6(g.lng)},${fixed6(g.lat)}&name=${encodeURIComponent(title)}&coordinate=gaode&callnative=0&src=pingan`;
  const baidu = `https://api.map.baidu.com/marker?location=${fixed6(b.lat)},${fixed6(b.lng)}&title=${encodeURIComponent(title)}&content=${encodeURIComponent(title)}&output=html&coord_type=bd09ll&src=webapp.pingan.pingan`;
  return { amap, baidu };
}
