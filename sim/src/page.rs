//! `GET /`: the status page the demo shows beside the extension. It renders the simulated
//! user's presence the way Teams shows it (coloured dot, label, until when), the sessions and the
//! preferred presence, and refreshes itself from `/_sim/state` every second.

use crate::{response, util::html_escape, Req, Resp, Shared, USER_NAME, USER_UPN};

const PAGE: &str = r##"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Presence simulator</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>
body{font-family:'Segoe UI',system-ui,sans-serif;margin:0;background:#f5f5f5;color:#242424}
main{max-width:40rem;margin:2rem auto;padding:0 1rem}
.card{background:#fff;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.12);padding:1.25rem 1.5rem;margin-bottom:1rem}
.who{display:flex;align-items:center;gap:1rem}
.avatar{position:relative;width:56px;height:56px;border-radius:50%;background:#5b5fc7;color:#fff;display:flex;align-items:center;justify-content:center;font-size:1.3rem;font-weight:600}
.dot{position:absolute;right:-2px;bottom:-2px;width:18px;height:18px;border-radius:50%;border:3px solid #fff;box-sizing:border-box}
.dot.dnd::after{content:"";position:absolute;left:2px;right:2px;top:50%;height:2px;margin-top:-1px;background:#fff}
.label{font-size:1.25rem;font-weight:600}
.muted{color:#616161;font-size:.9rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}td,th{text-align:left;padding:.3rem .4rem;border-bottom:1px solid #eee}
button{margin:.2rem .3rem .2rem 0;padding:.35rem .8rem;border:1px solid #ccc;background:#fff;border-radius:4px;cursor:pointer}
code{font-size:.8rem}
</style></head><body><main>
<div class="card who"><div class="avatar">AV<span id="dot" class="dot"></span></div>
<div><div>__NAME__ <span class="muted">__UPN__</span></div><div id="label" class="label">…</div><div id="until" class="muted"></div><div id="raw" class="muted"></div></div></div>
<div class="card"><b>Preferred presence</b><div id="preferred" class="muted"></div></div>
<div class="card"><b>Sessions</b><table><thead><tr><th>Session</th><th>Kind</th><th>Shows</th><th>Expires</th></tr></thead><tbody id="sessions"></tbody></table>
<div class="muted">No session means Teams shows Offline, even with a preferred presence.</div></div>
<div class="card"><b>Simulation</b><div>
<button data-act="signin">Sign in Teams client</button><button data-act="signout">Sign out Teams client</button>
<button data-act="adv300">Clock +5 min</button><button data-act="adv3600">Clock +1 h</button></div>
<div id="clock" class="muted"></div></div>
</main><script>
const COLORS={Available:"#6bb700",Busy:"#c4314b",DoNotDisturb:"#c4314b",Away:"#f8d22a",BeRightBack:"#f8d22a",Offline:"#8a8886"};
const LABELS={"Available/Available":"Available","Available/AvailableInactive":"Available (inactive)","Busy/Busy":"Busy","Busy/InACall":"In a call","Busy/InAConferenceCall":"In a conference call","Busy/InAMeeting":"In a meeting","DoNotDisturb/DoNotDisturb":"Do not disturb","DoNotDisturb/Presenting":"Presenting","Away/Away":"Away","BeRightBack/BeRightBack":"Be right back","Offline/OffWork":"Appear offline","Offline/Offline":"Offline","Available/OutOfOffice":"Out of office"};
const label=(a,b)=>LABELS[a+"/"+b]||(a+" / "+b);
const when=ms=>ms==null?"never":new Date(ms).toLocaleString();
function el(tag,text){const e=document.createElement(tag);e.textContent=String(text);return e;}
async function refresh(){
 try{const s=await (await fetch("/_sim/state",{cache:"no-store"})).json();
  const p=s.presence;const d=document.getElementById("dot");
  d.style.background=p.availability==="Offline"?"#fff":COLORS[p.availability]||"#8a8886";
  d.style.borderColor=p.availability==="Offline"?"#8a8886":"#fff";
  d.classList.toggle("dnd",p.availability==="DoNotDisturb");
  let l=label(p.availability,p.activity);
  if(s.preferred&&s.sessions.length&&s.preferred.availability==="Away")l="Appear away";
  document.getElementById("label").textContent=l;
  const until=s.sessions.length&&s.preferred?"until "+when(s.preferred.expiresAtMs):"";
  document.getElementById("until").textContent=until;
  const code=el("code",p.availability+"/"+p.activity+" · sequenceNumber "+p.sequenceNumber);
  const raw=[code];if(s.statusMessage){raw.push(document.createElement("br"),document.createTextNode("Status message: "+(s.statusMessage.message.content??"")));}
  document.getElementById("raw").replaceChildren(...raw);
  document.getElementById("preferred").textContent=s.preferred?label(s.preferred.availability,s.preferred.activity)+" until "+when(s.preferred.expiresAtMs)+(s.sessions.length?"":" (not shown: no session)"):"none (automatic)";
  const rows=s.sessions.map(x=>{const tr=document.createElement("tr");const id=document.createElement("td");id.append(el("code",x.sessionId));
   tr.append(id,el("td",x.kind),el("td",label(x.effectiveAvailability,x.effectiveActivity)),el("td",when(x.expiresAtMs)));return tr;});
  if(!rows.length){const tr=document.createElement("tr");const td=el("td","none");td.colSpan=4;td.className="muted";tr.append(td);rows.push(tr);}
  document.getElementById("sessions").replaceChildren(...rows);
  document.getElementById("clock").textContent="Simulator clock: "+when(s.nowMs);
 }catch(e){document.getElementById("label").textContent="simulator not reachable";}
}
async function post(path,body){await fetch(path,{method:"POST",headers:{"content-type":"application/json"},body:JSON.stringify(body)});refresh();}
document.querySelectorAll("button[data-act]").forEach(b=>b.onclick=()=>{const a=b.dataset.act;
 if(a==="signin")post("/_sim/teams-client",{signedIn:true,availability:"Available"});
 else if(a==="signout")post("/_sim/teams-client",{signedIn:false});
 else post("/_sim/clock",{advanceSeconds:Number(a.slice(3))});});
refresh();setInterval(refresh,1000);
</script></body></html>"##;

pub fn status_page(_shared: &Shared, req: &Req) -> Resp {
    if req.method != "GET" && req.method != "HEAD" {
        return response(405, &[("allow", "GET".to_string())], "");
    }
    let html = PAGE.replace("__NAME__", &html_escape(USER_NAME)).replace("__UPN__", &html_escape(USER_UPN));
    response(
        200,
        &[("content-type", "text/html; charset=utf-8".to_string()), ("cache-control", "no-store".to_string())],
        html,
    )
}
