// The one script every page loads (same origin, so the CSP needs no inline script): conditional fields, print and back buttons, focus.
import { Hono } from 'hono';

export const PAGE_SCRIPT_PATH = '/assets/page.js';

/**
 * - a form's [data-when] blocks show only when the named field holds one of data-equals' values;
 * - [data-print] prints, [data-back] goes back (its href is where it goes without script);
 * - [data-focus] names the element to focus (the field of a record being corrected);
 * - a form with a chosen photo (input[data-shrink]) shrinks it on the phone (long side ≤ data-shrink px, JPEG 0.7,
 *   which also drops its metadata) and sends the form itself with a progress bar, once the required fields are
 *   filled (the browser points at an empty one before any photo byte is sent), then shows the page the server
 *   answered (the receipt, or the form with its errors and the photo kept). Without JavaScript the form posts as is.
 */
const PAGE_SCRIPT = `(function(){
function showWhen(f){function u(){f.querySelectorAll('[data-when]').forEach(function(d){var v=[].map.call(f.querySelectorAll('[name="'+d.dataset.when+'"]'),function(i){return (i.type=='radio'||i.type=='checkbox')?(i.checked?i.value:''):i.value});d.hidden=!d.dataset.equals.split(' ').some(function(e){return v.indexOf(e)>=0})})}f.addEventListener('change',u);u()}
function shrink(file,max){if(!window.createImageBitmap||!/^image\\//.test(file.type))return Promise.resolve(null);
return createImageBitmap(file,{imageOrientation:'from-image'}).then(function(b){var s=Math.min(1,max/Math.max(b.width,b.height)),c=document.createElement('canvas');c.width=Math.round(b.width*s);c.height=Math.round(b.height*s);var x=c.getContext('2d');x.fillStyle='#fff';x.fillRect(0,0,c.width,c.height);x.drawImage(b,0,0,c.width,c.height);
return new Promise(function(r){c.toBlob(function(o){r(o&&o.size<file.size?o:null)},'image/jpeg',0.7)})}).catch(function(){return null})}
function sendPhotos(f){f.addEventListener('submit',function(e){
var chosen=[].filter.call(f.querySelectorAll('input[type=file][data-shrink]'),function(i){return i.files&&i.files.length});
if(f.getAttribute('data-sending')){e.preventDefault();return}
if(!chosen.length||!window.FormData||!window.XMLHttpRequest||!window.Promise)return;
e.preventDefault();if(f.checkValidity&&!f.checkValidity()){f.reportValidity();return}f.setAttribute('data-sending','1');
var btn=f.querySelector('[type=submit]'),box=document.createElement('div'),st=document.createElement('p'),bar=document.createElement('progress');
if(btn)btn.disabled=true;st.setAttribute('role','status');st.textContent='正在处理照片…';bar.max=100;bar.value=0;bar.setAttribute('aria-label','上传进度');bar.style.width='100%';
box.appendChild(st);box.appendChild(bar);(btn?btn.parentNode:f).appendChild(box);
function failed(){f.removeAttribute('data-sending');if(btn)btn.disabled=false;st.textContent='网络不稳定，没有发送成功，请再点一次提交';box.removeChild(bar)}
Promise.all(chosen.map(function(i){return shrink(i.files[0],+i.getAttribute('data-shrink')||1280)})).then(function(blobs){
var d=new FormData(f);chosen.forEach(function(i,k){if(blobs[k])d.set(i.name,blobs[k],'photo.jpg')});
var x=new XMLHttpRequest();x.open('POST',f.action);
st.textContent='正在上传，请勿重复提交';
x.upload.onprogress=function(p){if(p.lengthComputable){bar.value=Math.round(p.loaded/p.total*100);st.textContent='正在上传，请勿重复提交（'+bar.value+'%）'}};
x.onload=function(){if(!/text\\/html/.test(x.getResponseHeader('content-type')||'')){failed();return}
try{history.replaceState(null,'',x.responseURL||f.action)}catch(_){}document.open();document.write(x.responseText);document.close()};
x.onerror=failed;x.send(d)})})}
function init(){
document.querySelectorAll('form').forEach(function(f){if(f.querySelector('[data-when]'))showWhen(f);if(f.querySelector('input[data-shrink]'))sendPhotos(f)});
document.querySelectorAll('[data-print]').forEach(function(b){b.addEventListener('click',function(){window.print()})});
document.querySelectorAll('[data-back]').forEach(function(a){a.addEventListener('click',function(e){if(history.length>1){e.preventDefault();history.back()}})});
var t=document.querySelector('[data-focus]');if(t){var el=document.getElementById(t.getAttribute('data-focus'));if(el)el.focus()}
}
if(document.readyState==='loading')document.addEventListener('DOMContentLoaded',init);else init()})();
`;

export function pageScriptRoutes() {
  const app = new Hono();
  app.get(PAGE_SCRIPT_PATH, (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(PAGE_SCRIPT);
  });
  return app;
}
