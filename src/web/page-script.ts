// The one script every page loads (same origin, so the CSP needs no inline script): conditional fields, print and back buttons, focus.
import { Hono } from 'hono';

export const PAGE_SCRIPT_PATH = '/assets/page.js';

/**
 * - a form's [data-when] blocks show only when the named field holds one of data-equals' values;
 * - [data-print] prints, [data-back] goes back (its href is where it goes without script);
 * - [data-focus] names the element to focus (the field of a record being corrected).
 */
const PAGE_SCRIPT = `(function(){
function showWhen(f){function u(){f.querySelectorAll('[data-when]').forEach(function(d){var v=[].map.call(f.querySelectorAll('[name="'+d.dataset.when+'"]'),function(i){return (i.type=='radio'||i.type=='checkbox')?(i.checked?i.value:''):i.value});d.hidden=!d.dataset.equals.split(' ').some(function(e){return v.indexOf(e)>=0})})}f.addEventListener('change',u);u()}
function init(){
document.querySelectorAll('form').forEach(function(f){if(f.querySelector('[data-when]'))showWhen(f)});
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
