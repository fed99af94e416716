// The unit portal offline: the service worker (keeps the unit's form pages after one online visit, answers a failed
// page load with the 没有网络 page) and the page script that queues a form sent without network in IndexedDB, each
// entry with its own Idempotency-Key, and sends the queue when the network returns; the server's key decides, so an
// entry sent twice, from two tabs or after a crash mid-send is stored once.

export const SW_PATH = '/sw.js';
export const OFFLINE_SCRIPT_PATH = '/assets/offline.js';
export const OFFLINE_PAGE_PATH = '/offline';
export const MANIFEST_PATH = '/manifest.webmanifest';
export const ICON_PATH = '/icon.svg';

/** The unit forms kept for offline use (DESIGN.md's unit form ids), and the dashboard. */
export const OFFLINE_FORMS = ['household-visit', 'hazard-ledger', 'patrol-team', 'publicity', 'dispute-mediation', 'task-report'] as const;

/** Bump when the worker's caching changes: an old worker's caches are dropped on activation. */
const CACHE_VERSION = 'v1';

export const SERVICE_WORKER = `'use strict';
var ASSETS='pingan-assets-${CACHE_VERSION}',PAGES='pingan-pages-${CACHE_VERSION}';
var KEEP=['/assets/page.js','${OFFLINE_SCRIPT_PATH}','/assets/location.js','${OFFLINE_PAGE_PATH}','${ICON_PATH}'];
var PAGE=/^\\/unit(\\/forms\\/(${OFFLINE_FORMS.join('|')}))?$/;
self.addEventListener('install',function(e){self.skipWaiting();e.waitUntil(caches.open(ASSETS).then(function(c){return c.addAll(KEEP)}))});
self.addEventListener('activate',function(e){e.waitUntil(caches.keys().then(function(ks){return Promise.all(ks.filter(function(k){return k!==ASSETS&&k!==PAGES}).map(function(k){return caches.delete(k)}))}).then(function(){return self.clients.claim()}))});
function pageKey(u){var k=u.origin+u.pathname,unit=u.searchParams.get('unit');return unit?k+'?unit='+encodeURIComponent(unit):k}
// A unit page asks for every form page to be kept after it loads online: one visit is enough for all of them.
self.addEventListener('message',function(e){var d=e.data||{},port=e.ports&&e.ports[0];if(d.type!=='keep'||!Array.isArray(d.urls))return;
e.waitUntil(caches.open(PAGES).then(function(c){return Promise.all(d.urls.map(function(s){var u=new URL(s,self.location.origin);if(u.origin!==self.location.origin||!PAGE.test(u.pathname))return null;
return fetch(u.href,{credentials:'same-origin',redirect:'manual'}).then(function(res){return res.status===200?c.put(pageKey(u),res):null}).catch(function(){return null})}))}).then(function(){if(port)port.postMessage({type:'kept'})}))});
self.addEventListener('fetch',function(e){
var r=e.request,u=new URL(r.url);if(u.origin!==self.location.origin)return;
// Signing out forgets the unit's pages on this phone (queued entries stay: they are the cadre's work).
if(r.method==='POST'&&u.pathname==='/signout'){e.waitUntil(caches.delete(PAGES));return}
if(r.method!=='GET')return;
if(r.mode==='navigate'){
var keep=PAGE.test(u.pathname)&&!u.searchParams.has('edit')&&!u.searchParams.has('day');
e.respondWith(fetch(r).then(function(res){
if(keep&&res.status===200&&!res.redirected){var copy=res.clone();e.waitUntil(caches.open(PAGES).then(function(c){return c.put(pageKey(u),copy)}))}
return res}).catch(function(){return (keep?caches.match(pageKey(u),{cacheName:PAGES}):Promise.resolve(undefined)).then(function(hit){return hit||caches.match('${OFFLINE_PAGE_PATH}',{cacheName:ASSETS})})}));
return}
if(KEEP.indexOf(u.pathname)>=0)e.respondWith(fetch(r).then(function(res){if(res.ok){var copy=res.clone();e.waitUntil(caches.open(ASSETS).then(function(c){return c.put(r,copy)}))}return res}).catch(function(){return caches.match(r,{cacheName:ASSETS})}));
});
`;

export const OFFLINE_SCRIPT = `(function(){
if(!('indexedDB' in window))return;
var STORE='entries',FORM=/^\\/unit\\/forms\\/[a-z0-9-]+$/;
var KEPT='pingan-offline-kept',FORMS=${JSON.stringify(OFFLINE_FORMS)};
function ready(){document.documentElement.setAttribute('data-offline-ready','1')}
// Registers the worker and, at most every half hour while online, has it keep the dashboard and every form page.
if('serviceWorker' in navigator)navigator.serviceWorker.register('${SW_PATH}').then(function(){return navigator.serviceWorker.ready}).then(function(reg){
var last=+(localStorage.getItem(KEPT)||0);if(!navigator.onLine||!reg.active||Date.now()-last<1800000){ready();return}
var q=location.search.match(/[?&]unit=([^&]+)/),tail=q?'?unit='+q[1]:'',ch=new MessageChannel();
ch.port1.onmessage=function(){localStorage.setItem(KEPT,String(Date.now()));ready()};
reg.active.postMessage({type:'keep',urls:['/unit'+tail].concat(FORMS.map(function(f){return '/unit/forms/'+f+tail}))},[ch.port2])}).catch(function(){});
function open(){return new Promise(function(ok,no){var q=indexedDB.open('pingan-offline',1);q.onupgradeneeded=function(){q.result.createObjectStore(STORE,{keyPath:'key'})};q.onsuccess=function(){ok(q.result)};q.onerror=function(){no(q.error)}})}
function tx(mode,fn){return open().then(function(d){return new Promise(function(ok,no){var t=d.transaction(STORE,mode),q=fn(t.objectStore(STORE));t.oncomplete=function(){d.close();ok(q&&'result' in q?q.result:undefined)};t.onerror=function(){d.close();no(t.error)}})})}
function all(){return tx('readonly',function(s){return s.getAll()}).then(function(l){return (l||[]).sort(function(a,b){return a.at-b.at})})}
function put(x){return tx('readwrite',function(s){return s.put(x)})}
function del(k){return tx('readwrite',function(s){return s.delete(k)})}
function newKey(){return window.crypto&&crypto.randomUUID?crypto.randomUUID():Date.now().toString(36)+Math.random().toString(36).slice(2)}
function el(t,a,txt){var e=document.createElement(t);for(var k in a||{})e.setAttribute(k,a[k]);if(txt!=null)e.textContent=txt;return e}
function entryForm(){var f=null;document.querySelectorAll('form[method=post]').forEach(function(x){var u=new URL(x.action,location.href);if(!f&&u.origin===location.origin&&FORM.test(u.pathname))f=x});return f}
function labelOf(f,n){var i=f.querySelector('[name="'+n+'"]');if(!i)return n;var l=i.id&&f.querySelector('label[for="'+i.id+'"]');if(!l){var fs=i.closest('fieldset');l=fs&&fs.querySelector('legend')}return l?l.textContent.replace(/[*＊]/g,'').trim():n}
function shown(f,n,v){var s=f.querySelector('select[name="'+n+'"]');if(s){for(var i=0;i<s.options.length;i++)if(s.options[i].value===v)return s.options[i].textContent.trim()}
var r=f.querySelector('input[name="'+n+'"][value="'+(window.CSS&&CSS.escape?CSS.escape(v):v)+'"]');if(r&&(r.type==='radio'||r.type==='checkbox')){var l=r.closest('label');return l?l.textContent.trim():v}return v}
function summary(f,fields){var out=[];fields.forEach(function(p){if(out.length<3&&p[0].charAt(0)!=='_'&&p[1]&&!/^\\d{4}-\\d{2}-\\d{2}$/.test(p[1]))out.push(labelOf(f,p[0])+'：'+shown(f,p[0],p[1]).slice(0,20))});return out.join('；')||'（空白记录）'}
var panel,statusLine,editing=null,busy=false;
function ensurePanel(){if(panel)return panel;var main=document.querySelector('main');if(!main)return null;
panel=el('section',{id:'offline-queue','aria-labelledby':'offline-queue-h','class':'card'});var h=main.querySelector('h1');
if(h&&h.nextSibling)main.insertBefore(panel,h.nextSibling);else main.insertBefore(panel,main.firstChild);return panel}
function say(t){var p=ensurePanel();if(!p)return;if(!statusLine){statusLine=el('p',{role:'status','data-offline-status':''})}statusLine.textContent=t;if(statusLine.parentNode!==p)p.insertBefore(statusLine,p.firstChild)}
function render(){return all().then(function(list){var f=entryForm();if(!list.length&&!f)return;var p=ensurePanel();if(!p)return;
var waiting=list.filter(function(x){return x.status==='pending'});
[].slice.call(p.childNodes).forEach(function(c){if(c!==statusLine)p.removeChild(c)});
if(!list.length){p.hidden=!statusLine||!statusLine.textContent;return}p.hidden=false;
p.appendChild(el('h2',{id:'offline-queue-h'},'待上传 '+waiting.length+' 条'));
p.appendChild(el('p',{'class':'muted'},'没有网络时保存的记录存在本机，有网络时自动上传；每条只会保存一次。'));
var b=el('button',{type:'button','class':'btn secondary','data-sync':''},'立即上传');b.disabled=!waiting.length||busy;b.addEventListener('click',function(){sync()});p.appendChild(b);
var ul=el('ul',{'class':'queue'});list.forEach(function(x){var li=el('li',{'data-key':x.key,'data-status':x.status});li.appendChild(el('strong',null,x.title+'：'));li.appendChild(document.createTextNode(x.summary+' '));
if(x.status==='sent'){li.appendChild(el('span',{'class':'receipt'},'已上传，记录号 '+x.receipt));var ok=el('button',{type:'button','class':'link'},'移出列表');ok.addEventListener('click',function(){del(x.key).then(render)});li.appendChild(document.createTextNode(' '));li.appendChild(ok)}
else{if(x.status==='refused'){li.appendChild(el('span',{'class':'err'},'未保存：'+(x.message||'')));var es=el('ul');(x.errors||[]).forEach(function(e){es.appendChild(el('li',{'class':'err'},(e.label||e.field)+'：'+e.message))});li.appendChild(es)}
else li.appendChild(el('span',{'class':'muted'},x.message||'待上传'));
var here=f&&new URL(f.action,location.href).pathname===new URL(x.action,location.href).pathname;
if(here){var ed=el('button',{type:'button','class':'link'},x.status==='refused'?'回到表单修改':'修改');ed.addEventListener('click',function(){load(x)});li.appendChild(document.createTextNode(' '));li.appendChild(ed)}
else{li.appendChild(document.createTextNode(' '));li.appendChild(el('a',{href:x.page+'#offline-'+x.key},'打开表单'))}
var d=el('button',{type:'button','class':'link'},'删除');d.addEventListener('click',function(){if(confirm('删除这条未上传的记录？'))del(x.key).then(render)});li.appendChild(document.createTextNode(' '));li.appendChild(d)}
ul.appendChild(li)});p.appendChild(ul)})}
function load(x){var f=entryForm();if(!f)return;f.querySelectorAll('input[type=radio],input[type=checkbox]').forEach(function(i){i.checked=false});
x.fields.forEach(function(p){var n=p[0],v=p[1];if(n==='_token')return;f.querySelectorAll('[name="'+n+'"]').forEach(function(i){if(i.type==='radio'||i.type==='checkbox'){if(i.value===v)i.checked=true}else i.value=v})});
editing=x.key;var old=f.querySelector('[data-offline-errors]');if(old)old.remove();
if(x.status==='refused'&&x.errors&&x.errors.length){var box=el('div',{'class':'alert',role:'alert','data-offline-errors':''});box.appendChild(el('h2',null,'服务器退回了这条记录，请修改后再保存'));var ul=el('ul');x.errors.forEach(function(e){ul.appendChild(el('li',null,(e.label||e.field)+'：'+e.message))});box.appendChild(ul);f.insertBefore(box,f.firstChild)}
f.dispatchEvent(new Event('change'));var first=f.querySelector('input:not([type=hidden]),select,textarea');if(first)first.focus()}
function clearForm(f){f.querySelectorAll('input,textarea').forEach(function(i){if(i.type==='hidden'||i.type==='date'||i.type==='submit'||i.type==='button')return;if(i.type==='radio'||i.type==='checkbox')i.checked=false;else i.value=''});var e=f.querySelector('[data-offline-errors]');if(e)e.remove()}
function queue(f){var fields=[];new FormData(f).forEach(function(v,n){if(typeof v==='string'&&n!=='_token')fields.push([n,v])});
var key=editing||newKey();editing=null;var u=new URL(f.action,location.href);
var x={key:key,action:u.pathname+u.search,page:location.pathname+location.search,title:(document.querySelector('h1')||{}).textContent||'',fields:fields,summary:summary(f,fields),at:Date.now(),status:'pending'};
return put(x).then(function(){clearForm(f);say('没有网络：这条记录已存入本机，有网络时会自动上传。');return render()})}
function send(x){var body=new URLSearchParams();x.fields.forEach(function(p){body.append(p[0],p[1])});
return fetch(x.action,{method:'POST',body:body,credentials:'same-origin',redirect:'manual',headers:{'Idempotency-Key':x.key,'Accept':'application/json'}}).then(function(r){
if(r.status===200||r.status===201)return r.json().then(function(j){x.status='sent';x.receipt=j.id;x.message='';return put(x)}).then(function(){return false});
if(r.status===422)return r.json().then(function(j){var f=entryForm();x.status='refused';x.message=j.message||'内容有误';x.errors=(j.errors||[]).map(function(e){return {field:e.field,message:e.message,label:f?labelOf(f,e.field):e.field}});return put(x)}).then(function(){return false});
if(r.status===401||r.type==='opaqueredirect'){x.message='登录已过期：请重新登录，登录后自动上传';return put(x).then(function(){say('登录已过期，记录仍保存在本机。请重新登录后再上传。');return true})}
if(r.status===429||r.status>=500)return true;
return r.json().catch(function(){return {}}).then(function(j){x.status='refused';x.errors=[];x.message=j.message||('服务器拒绝了这条记录（'+r.status+'）');return put(x)}).then(function(){return false})},
function(){return true})}
function run(){return all().then(function(list){var todo=list.filter(function(x){return x.status==='pending'});
return todo.reduce(function(p,x){return p.then(function(stop){return stop?true:send(x)})},Promise.resolve(false))})}
function sync(){if(busy||!navigator.onLine)return Promise.resolve();busy=true;render();
var p=navigator.locks&&navigator.locks.request?navigator.locks.request('pingan-offline-sync',run):run();
return p.catch(function(){}).then(function(){busy=false;return render()}).then(function(){document.documentElement.setAttribute('data-offline-synced',String(Date.now()))})}
function init(){var f=entryForm();
if(f)f.addEventListener('submit',function(e){if(navigator.onLine)return;e.preventDefault();e.stopImmediatePropagation();queue(f)},true);
window.addEventListener('online',function(){sync()});
render().then(function(){var m=/^#offline-(.+)$/.exec(location.hash);if(m)all().then(function(l){l.forEach(function(x){if(x.key===m[1])load(x)})})});
if(navigator.onLine)sync()}
if(document.readyState==='loading')document.addEventListener('DOMContentLoaded',init);else init()})();
`;
