//! The binary itself: start-up report of bad content, SIGTERM, and the moderation commands.

mod common;

use common::{run_binary, start_binary, try_request, TestServer};
use serde_json::json;

#[test]
fn bad_content_files_are_reported_and_the_server_starts_anyway() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let content = dir.path().join("content");
    common::write_articles(&content);
    let data = dir.path().join("data");
    let mut server = start_binary(&["--data", data.to_str().expect("path"), "--content", content.to_str().expect("path")]);
    let reply = try_request(server.addr, "GET", "/api/articles/ouvert", &[], None).expect("get");
    assert_eq!(reply.status, 200);
    let _ = server.child.kill();
    let _ = server.child.wait();
    let stderr = server.stderr();
    for file in ["casse.json", "sans-titre.json", "doublon.json"] {
        assert!(stderr.contains(&format!("content file skipped file={file} reason=")), "{file} reported: {stderr}");
    }
    assert!(stderr.contains("headline"), "with the reason: {stderr}");
    assert!(!stderr.contains("notes.txt"));
}

#[cfg(unix)]
#[test]
fn sigterm_finishes_requests_in_flight_then_exits() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let content = dir.path().join("content");
    common::write_articles(&content);
    let data = dir.path().join("data");
    let mut server = start_binary(&["--data", data.to_str().expect("path"), "--content", content.to_str().expect("path"), "--test-mode"]);
    let addr = server.addr;
    let fault = json!({ "mode": "slow", "delayMs": 800, "fixture": "00.json" }).to_string();
    let set = try_request(addr, "POST", "/test/fault/lent", &[("Content-Type", "application/json")], Some(fault.as_bytes()));
    assert_eq!(set.expect("set fault").status, 204);
    let in_flight = std::thread::spawn(move || try_request(addr, "GET", "/test/fault/lent", &[], None));
    std::thread::sleep(std::time::Duration::from_millis(200));
    let killed = std::process::Command::new("kill").args(["-TERM", &server.child.id().to_string()]).status().expect("kill");
    assert!(killed.success());
    let reply = in_flight.join().expect("thread").expect("the request in flight is answered");
    assert_eq!((reply.status, reply.json()["id"].as_str()), (200, Some("ouvert")));
    let status = server.child.wait().expect("exits");
    assert!(status.success(), "{status:?}");
}

#[test]
fn help_and_usage_errors() {
    let (code, stdout, _) = run_binary(&["--help"]);
    assert_eq!(code, 0);
    for expected in ["--allow-origin", "--database", "approve", "backup", "--console", "--trust-proxy"] {
        assert!(stdout.contains(expected), "{expected} in --help: {stdout}");
    }
    let (code, stdout, _) = run_binary(&["backup", "--help"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("pg_dump") && stdout.contains("<FILE>"), "{stdout}");
    let (code, _, stderr) = run_binary(&["--moderation", "maybe"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("on or off"), "{stderr}");
    let empty = tempfile::tempdir().expect("temporary directory");
    let (code, _, stderr) = run_binary(&["pending", "--data", empty.path().to_str().expect("path")]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no database"), "{stderr}");
    let (code, _, stderr) = run_binary(&["--content", "/nonexistent/kiosque", "--data", empty.path().to_str().expect("path")]);
    assert_eq!(code, 1);
    assert!(stderr.contains("content directory"), "{stderr}");
}

#[test]
fn moderation_commands_list_approve_and_delete() {
    let server = TestServer::start(|options| options.moderation = true);
    let data = server.data_dir();
    let data = data.to_str().expect("path");
    let first = server.post_comment("ouvert", json!({ "author_name": "Awa", "text": "Premier\nsur deux lignes" }));
    let first_id = first.json()["comment"]["id"].as_str().expect("id").to_string();
    let reply = server.post_comment("ouvert", json!({ "parent": first_id, "author_name": "Bintou", "author_email": "bintou@example.org", "text": "Réponse" }));
    let reply_id = reply.json()["comment"]["id"].as_str().expect("id").to_string();
    let other = server.post_comment("eco-1", json!({ "author_name": "Chérif", "author_url": null, "text": "Autre" }));
    let other_id = other.json()["comment"]["id"].as_str().expect("id").to_string();

    let (code, listing, _) = run_binary(&["pending", "--data", data]);
    assert_eq!(code, 0);
    for expected in [
        format!("#{first_id}  ouvert  "),
        "Awa <awa@example.org>  https://awa.example".to_string(),
        "| Premier".to_string(),
        "| sur deux lignes".to_string(),
        format!("#{reply_id}  ouvert  "),
        format!("reply to #{first_id}"),
        "Bintou <bintou@example.org>".to_string(),
        format!("#{other_id}  eco-1  "),
        "3 pending".to_string(),
    ] {
        assert!(listing.contains(&expected), "{expected:?} in:\n{listing}");
    }
    assert_eq!(server.get("/api/articles/ouvert/comments").json()["total"], 0);

    // Approving works while the server runs (WAL: the CLI and the server share the file).
    let (code, stdout, _) = run_binary(&["approve", &first_id, "--data", data]);
    assert_eq!((code, stdout.trim()), (0, format!("Comment #{first_id} approved.").as_str()));
    let (code, _, _) = run_binary(&["approve", &reply_id, "--data", data]);
    assert_eq!(code, 0);
    let list = server.get("/api/articles/ouvert/comments").json();
    assert_eq!(list["total"], 2);
    assert_eq!(list["items"][1]["parent"], first_id.as_str());

    let (code, _, stderr) = run_binary(&["approve", "9999", "--data", data]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no comment #9999"), "{stderr}");

    // Deleting a comment keeps its replies: the thread shows a placeholder in its place.
    let (code, stdout, _) = run_binary(&["delete", &first_id, "--data", data]);
    assert_eq!(code, 0);
    assert!(stdout.contains("replies kept"), "{stdout}");
    let list = server.get("/api/articles/ouvert/comments").json();
    assert_eq!(list["total"], 2);
    assert_eq!(list["items"][0], json!({ "id": first_id, "parent": null, "deleted": true, "created": list["items"][0]["created"], "status": "deleted" }));
    assert_eq!((&list["items"][1]["id"], &list["items"][1]["text"]), (&json!(reply_id), &json!("Réponse")));
    let (code, listing, _) = run_binary(&["pending", "--data", data]);
    assert_eq!(code, 0);
    assert!(listing.contains("1 pending") && listing.contains("eco-1"), "{listing}");
    let (code, stdout, _) = run_binary(&["delete", &other_id, "--data", data]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with(&format!("Comment #{other_id} deleted")), "{stdout}");
    let (_, listing, _) = run_binary(&["pending", "--data", data]);
    assert!(listing.contains("No comments waiting"), "{listing}");
    let (code, stdout, _) = run_binary(&["delete", &other_id, "--data", data]);
    assert_eq!(code, 0);
    assert!(stdout.contains("deleted already"), "{stdout}");
    let (code, _, stderr) = run_binary(&["delete", "9999", "--data", data]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no comment #9999"), "{stderr}");
    // Nothing was destroyed, and restoring brings the comment back.
    assert_eq!(server.count_rows(), 3);
    let (code, stdout, _) = run_binary(&["restore", &first_id, "--data", data]);
    assert_eq!((code, stdout.trim()), (0, format!("Comment #{first_id} restored and published.").as_str()));
    assert_eq!(server.get("/api/articles/ouvert/comments").json()["items"][0]["text"], "Premier\nsur deux lignes");
}
