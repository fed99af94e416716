// The optional "使用我的位置" block of the hazard tip, the hazard ledger and a fix report, and its small same-origin
// script. Without JavaScript (or geolocation) the button stays hidden and the form is sent without a place.
import { Hono } from 'hono';
import { LOCATION_FIELDS } from '../hazards/location.ts';

export const LOCATION_SCRIPT_PATH = '/assets/location.js';

/** The hidden inputs' values as the person's last try sent them (kept across a page with errors). */
export type LocationValues = Partial<Record<'lat' | 'lng' | 'accuracy', string>>;

export function locationValuesOf(body: Record<string, unknown>): LocationValues {
  const text = (k: string) => (typeof body[k] === 'string' ? (body[k] as string).slice(0, 32) : undefined);
  return { lat: text(LOCATION_FIELDS.lat), lng: text(LOCATION_FIELDS.lng), accuracy: text(LOCATION_FIELDS.accuracy) };
}

export function LocationField(props: { values?: LocationValues; error?: string; purpose?: string }) {
  const v = props.values ?? {};
  const has = Boolean(v.lat && v.lng);
  return (
    <fieldset class={props.error ? 'loc invalid' : 'loc'} id="f-_location" data-location>
      <legend>位置（可选）</legend>
      <p class="help" id="loc-hint">
        {props.purpose ?? '点“使用我的位置”，手机会问您是否允许定位。位置只用来帮工作人员找到隐患地点，只有区综治办和负责整改的单位能看到，不公开，也不写入共享表格。不用位置也可以提交。'}
      </p>
      {props.error ? (
        <p class="err" id="loc-error">
          {props.error}
        </p>
      ) : null}
      <input type="hidden" name={LOCATION_FIELDS.lat} value={v.lat ?? ''} />
      <input type="hidden" name={LOCATION_FIELDS.lng} value={v.lng ?? ''} />
      <input type="hidden" name={LOCATION_FIELDS.accuracy} value={v.accuracy ?? ''} />
      <p role="status" data-loc-status>
        {has ? `已记录位置（精度约 ${Math.round(Number(v.accuracy) || 0)} 米）` : ''}
      </p>
      <button type="button" class="btn secondary" data-locate hidden aria-describedby="loc-hint">
        使用我的位置
      </button>{' '}
      <button type="button" class="btn secondary" data-loc-clear hidden={!has}>
        不带位置
      </button>
      <script src={LOCATION_SCRIPT_PATH} defer />
    </fieldset>
  );
}

const LOCATION_SCRIPT = `(function(){
function init(){document.querySelectorAll('[data-location]').forEach(function(box){
var b=box.querySelector('[data-locate]'),clr=box.querySelector('[data-loc-clear]'),st=box.querySelector('[data-loc-status]');
if(!b||box.getAttribute('data-ready'))return;box.setAttribute('data-ready','1');
function set(n,v){var i=box.querySelector('input[name="'+n+'"]');if(i)i.value=v}
if(clr)clr.addEventListener('click',function(){set('${LOCATION_FIELDS.lat}','');set('${LOCATION_FIELDS.lng}','');set('${LOCATION_FIELDS.accuracy}','');st.textContent='不带位置提交';clr.hidden=true});
if(!navigator.geolocation)return;b.hidden=false;
b.addEventListener('click',function(){st.textContent='正在定位…';b.disabled=true;
navigator.geolocation.getCurrentPosition(function(p){var a=Math.round(p.coords.accuracy);b.disabled=false;
set('${LOCATION_FIELDS.lat}',p.coords.latitude.toFixed(6));set('${LOCATION_FIELDS.lng}',p.coords.longitude.toFixed(6));set('${LOCATION_FIELDS.accuracy}',String(Math.min(a,10000)));
st.textContent='已记录位置（精度约 '+a+' 米）';if(clr)clr.hidden=false},
function(e){b.disabled=false;st.textContent=e&&e.code===1?'没有获得定位权限，可以不带位置提交':'暂时无法定位，可以不带位置提交'},
{enableHighAccuracy:true,timeout:15000,maximumAge:60000})})})}
if(document.readyState==='loading')document.addEventListener('DOMContentLoaded',init);else init()})();
`;

export function locationScriptRoutes() {
  const app = new Hono();
  app.get(LOCATION_SCRIPT_PATH, (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(LOCATION_SCRIPT);
  });
  return app;
}
