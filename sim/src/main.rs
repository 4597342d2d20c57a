//! `presence-sim`: run the simulator. See sim/README.md for flags and the control API.

use presence_sim::{Options, Server};
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage: presence-sim [--port N] [--client-id GUID]... [--tenant-id GUID] [--token-lifetime SECONDS] [--consent-page] [--teams-client]";

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut o = Options::default();
    let mut client_ids: Vec<String> = Vec::new();
    let mut i = 0;
    let value = |i: &mut usize, flag: &str| -> Result<String, String> {
        *i += 1;
        args.get(*i).cloned().ok_or_else(|| format!("{flag} needs a value"))
    };
    while i < args.len() {
        let a = args[i].as_str();
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (a, None),
        };
        let take = |i: &mut usize| -> Result<String, String> {
            match &inline {
                Some(v) => Ok(v.clone()),
                None => value(i, flag),
            }
        };
        match flag {
            "--port" => o.port = take(&mut i)?.parse().map_err(|_| "--port needs a number 0-65535".to_string())?,
            "--client-id" => {
                let v = take(&mut i)?;
                if !presence_sim::util::is_guid(&v) {
                    return Err(format!("--client-id must be a GUID, got {v}"));
                }
                client_ids.push(v);
            }
            "--tenant-id" => {
                let v = take(&mut i)?;
                if !presence_sim::util::is_guid(&v) {
                    return Err(format!("--tenant-id must be a GUID, got {v}"));
                }
                o.tenant_id = v;
            }
            "--token-lifetime" => {
                o.token_lifetime_seconds = take(&mut i)?
                    .parse()
                    .ok()
                    .filter(|n: &i64| *n > 0)
                    .ok_or_else(|| "--token-lifetime needs a positive number of seconds".to_string())?
            }
            "--consent-page" => o.consent_page = true,
            "--teams-client" => o.teams_client = true,
            "--help" | "-h" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
        i += 1;
    }
    if !client_ids.is_empty() {
        o.client_ids = client_ids;
    }
    Ok(o)
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opts = match parse_args(&args) {
        Ok(o) => o,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("presence-sim: {e}");
            }
            eprintln!("{USAGE}");
            return if e.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) };
        }
    };
    let server = match Server::bind(opts).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("presence-sim: cannot bind 127.0.0.1: {e}");
            return ExitCode::from(1);
        }
    };
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on {}", server.base_url());
        let _ = out.flush();
    }
    server.run_until(shutdown_signal()).await;
    eprintln!("presence-sim: stopped");
    ExitCode::SUCCESS
}
