import { describe, expect, it } from 'vitest';
import { degreesAround, distanceMetres, gcj02ToBd09, gridCell, mapLinks, wgs84ToBd09, wgs84ToGcj02 } from '../../../src/lib/geo.ts';

// Published test points: googollee/eviltransform (WGS-84 → GCJ-02) and wandergis/coordtransform (both conversions).
const WGS_TO_GCJ = [
  { name: 'Shanghai', wgs: { lat: 31.1774276, lng: 121.5272106 }, gcj: { lat: 31.17530398364597, lng: 121.531541859215 } },
  { name: 'Shenzhen', wgs: { lat: 22.543847, lng: 113.912316 }, gcj: { lat: 22.540796131694766, lng: 113.9171764808363 } },
  { name: 'Beijing', wgs: { lat: 39.911954, lng: 116.377817 }, gcj: { lat: 39.91334545536069, lng: 116.38404722455657 } },
  { name: 'Tiananmen (coordtransform)', wgs: { lat: 39.915, lng: 116.404 }, gcj: { lat: 39.91640428150164, lng: 116.41024449916938 } },
];

describe('geo', () => {
  it.each(WGS_TO_GCJ)('WGS-84 → GCJ-02 matches the published point: $name', ({ wgs, gcj }) => {
    const out = wgs84ToGcj02(wgs);
    expect(out.lat).toBeCloseTo(gcj.lat, 7);
    expect(out.lng).toBeCloseTo(gcj.lng, 7);
  });

  it('GCJ-02 → BD-09 matches coordtransform', () => {
    const out = gcj02ToBd09({ lat: 39.915, lng: 116.404 });
    expect(out.lat).toBeCloseTo(39.92133699351021, 9);
    expect(out.lng).toBeCloseTo(116.41036949371029, 9);
  });

  it('leaves points outside China unshifted', () => {
    expect(wgs84ToGcj02({ lat: 51.5, lng: -0.12 })).toEqual({ lat: 51.5, lng: -0.12 });
  });

  it('measures distance and the search box', () => {
    const a = { lat: 34.36, lng: 107.24 };
    const { dLat, dLng } = degreesAround(a.lat, 150);
    expect(distanceMetres(a, { lat: a.lat + dLat, lng: a.lng })).toBeCloseTo(150, 0);
    expect(distanceMetres(a, { lat: a.lat, lng: a.lng + dLng })).toBeCloseTo(150, 0);
  });

  it('rounds to a 100 m grid cell', () => {
    expect(gridCell({ lat: 34.361234, lng: 107.245678 })).toBe('34.361,107.245');
  });

  it('links 高德 in GCJ-02 and 百度 in BD-09 at the converted point', () => {
    const p = { lat: 39.915, lng: 116.404 };
    const links = mapLinks(p);
    const g = wgs84ToGcj02(p);
    const b = wgs84ToBd09(p);
    const amap = new URL(links.amap);
    expect(amap.origin + amap.pathname).toBe('https://uri.amap.com/marker');
    expect(amap.searchParams.get('position')).toBe(`${g.lng.toFixed(6)},${g.lat.toFixed(6)}`);
    expect(amap.searchParams.get('position')).toBe('116.410244,39.916404');
    expect(amap.searchParams.get('coordinate')).toBe('gaode');
    const baidu = new URL(links.baidu);
    expect(baidu.origin + baidu.pathname).toBe('https://api.map.baidu.com/marker');
    expect(baidu.searchParams.get('location')).toBe(`${b.lat.toFixed(6)},${b.lng.toFixed(6)}`);
    expect(baidu.searchParams.get('coord_type')).toBe('bd09ll');
    expect(baidu.searchParams.get('output')).toBe('html');
  });
});
