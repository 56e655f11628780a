//! The ALTCHA proof of work end to end: challenge, solution, signature, expiry, replay, secret.

mod common;

use base64::Engine;
use common::{Backend, TestServer};
use hmac::{Hmac, Mac};
use kiosque::model::comment::{altcha_hash, altcha_solve, hex, AltchaPayload};
use kiosque_server::cli::CaptchaPolicy;
use serde_json::{json, Value};
use sha2::Sha256;

fn now_seconds() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

fn token(payload: &AltchaPayload) -> String {
    base64::engine::general_purpose::STANDARD.encode(payload.to_json())
}

/// What a client does: fetch a challenge, find the number, wrap the payload.
fn solve(server: &TestServer) -> AltchaPayload {
    let challenge = server.get("/api/captcha/challenge").json();
    let salt = challenge["salt"].as_str().expect("salt").to_string();
    let hash = challenge["challenge"].as_str().expect("challenge").to_string();
    let max = challenge["maxnumber"].as_u64().expect("maxnumber");
    let number = altcha_solve(&salt, &hash, max).expect("solvable within maxnumber");
    AltchaPayload {
        algorithm: "SHA-256".into(),
        challenge: hash,
        number,
        salt,
        signature: challenge["signature"].as_str().expect("signature").to_string(),
        took: Some(12),
    }
}

fn post_pow(server: &TestServer, token: &str) -> common::Reply {
    server.post_comment("ouvert", json!({ "captcha": { "kind": "pow", "token": token } }))
}

/// The server's key, to forge challenges the way only the server could.
fn secret(server: &TestServer) -> Vec<u8> {
    let text = std::fs::read_to_string(server.data_dir().join("secret.key")).expect("secret.key");
    (0..text.trim().len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex")).collect()
}

fn sign(secret: &[u8], challenge: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("any key length");
    mac.update(challenge.as_bytes());
    hex(&mac.finalize().into_bytes())
}

fn forged(secret: &[u8], salt: &str, number: u64) -> AltchaPayload {
    let challenge = altcha_hash(salt, number);
    AltchaPayload { algorithm: "SHA-256".into(), signature: sign(secret, &challenge), challenge, number, salt: salt.into(), took: None }
}

#[test]
fn a_challenge_is_altcha_v1() {
    let server = TestServer::start(|options| options.pow_max = 100_000);
    let reply = server.get("/api/captcha/challenge");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let body = reply.json();
    let keys: Vec<&str> = body.as_object().expect("object").keys().map(String::as_str).collect();
    assert_eq!(keys, ["algorithm", "challenge", "maxnumber", "salt", "signature"]);
    assert_eq!(body["algorithm"], "SHA-256");
    assert_eq!(body["maxnumber"], 100_000);
    let salt = body["salt"].as_str().expect("salt");
    let (random, query) = salt.split_once("?expires=").expect("salt carries its expiry");
    assert!(random.len() >= 16 && random.bytes().all(|b| b.is_ascii_hexdigit()), "{salt}");
    let expires: u64 = query.strip_suffix('&').and_then(|s| s.parse().ok()).expect("expires=<unix>&");
    let now = now_seconds();
    assert!((now + 590..=now + 610).contains(&expires), "10 minutes: {expires} vs {now}");
    let challenge = body["challenge"].as_str().expect("challenge");
    assert_eq!(challenge.len(), 64);
    assert_eq!(body["signature"], sign(&secret(&server), challenge));
    // Fresh every time.
    assert_ne!(server.get("/api/captcha/challenge").json()["salt"], body["salt"]);
}

#[cfg(unix)]
#[test]
fn the_secret_is_private_and_survives_restarts() {
    use std::os::unix::fs::PermissionsExt;
    let server = TestServer::start(|_| {});
    let path = server.data_dir().join("secret.key");
    let mode = std::fs::metadata(&path).expect("secret.key").permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let key = secret(&server);
    assert!(key.len() >= 32);
    let payload = solve(&server);
    let dir = server.stop();
    let restarted = TestServer::start_in(dir, |_| {});
    assert_eq!(secret(&restarted), key);
    assert_eq!(post_pow(&restarted, &token(&payload)).status, 201, "a challenge from before the restart still verifies");
}

fn a_solved_challenge_is_accepted_once(backend: Backend) {
    let server = TestServer::start_on(backend, |options| options.captcha = CaptchaPolicy::Pow);
    let payload = solve(&server);
    assert_eq!(post_pow(&server, &token(&payload)).status, 201);
    let replay = post_pow(&server, &token(&payload));
    assert_eq!((replay.status, replay.error()), (403, "captcha".to_string()));
    assert!(replay.json()["message"].as_str().is_some_and(|m| m.contains("already used")));
    // Reused in a comment that is otherwise different: still refused.
    let replay = server.post_comment("eco-1", json!({ "captcha": { "kind": "pow", "token": token(&payload) }, "text": "Autre" }));
    assert_eq!(replay.status, 403);
    assert_eq!(server.count_rows(), 1);
}

fn a_challenge_is_spent_only_when_its_comment_is_stored(backend: Backend) {
    let server = TestServer::start_on(backend, |_| {});
    let payload = solve(&server);
    let refused = server.post_comment("ouvert", json!({ "captcha": { "kind": "pow", "token": token(&payload) }, "text": "" }));
    assert_eq!(refused.status, 422);
    assert_eq!(post_pow(&server, &token(&payload)).status, 201);
}

#[test]
fn wrong_forged_expired_or_malformed_proofs_are_refused() {
    let server = TestServer::start(|_| {});
    let key = secret(&server);
    let good = solve(&server);
    let future = now_seconds() + 300;
    let mut cases: Vec<(String, &str)> = vec![
        (token(&AltchaPayload { number: good.number + 1, ..good.clone() }), "does not solve"),
        (token(&AltchaPayload { algorithm: "SHA-1".into(), ..good.clone() }), "SHA-256"),
        (token(&AltchaPayload { signature: "00".repeat(32), ..good.clone() }), "not issued by this server"),
        (token(&AltchaPayload { signature: "pas-hex".into(), ..good.clone() }), "not issued by this server"),
        (token(&forged(b"another-servers-secret-000000000", &format!("abcd?expires={future}&"), 7)), "not issued"),
        (token(&forged(&key, &format!("abcd?expires={}&", now_seconds() - 1), 7)), "expired"),
        (token(&forged(&key, "abcd", 7)), "not base64 of the expected JSON"),
        ("pas du base64 !".into(), "not base64"),
        (base64::engine::general_purpose::STANDARD.encode("{\"algorithm\":\"SHA-256\"}"), "not base64 of the expected JSON"),
        (String::new(), "not base64"),
    ];
    // Changing the salt breaks the hash; changing the challenge too breaks the signature.
    let mut other_salt = good.clone();
    other_salt.salt = format!("ffff?expires={future}&");
    other_salt.challenge = altcha_hash(&other_salt.salt, other_salt.number);
    cases.push((token(&other_salt), "not issued by this server"));
    for (token, message) in &cases {
        let reply = post_pow(&server, token);
        assert_eq!((reply.status, reply.error()), (403, "captcha".to_string()), "{message}");
        assert!(reply.json()["message"].as_str().is_some_and(|m| m.contains(message)), "{message}: {}", reply.body);
    }
    // A challenge forged with the real secret is, by definition, one the server could have issued.
    assert_eq!(post_pow(&server, &token(&forged(&key, &format!("abcd?expires={future}&"), 7))).status, 201);
    assert_eq!(post_pow(&server, &token(&good)).status, 201);
    assert_eq!(server.count_rows(), 2);
}

#[test]
fn the_documented_vector_verifies() {
    // docs/api.md: salt, number, challenge and, with the secret "kiosque-test-secret", signature.
    let salt = "0123456789abcdef?expires=4102444800&";
    let challenge = "de90e4e4edfb76c9b2405ebbbd9e4ab5c893e83dd17ae2f723cbd03ea7d702f4";
    let signature = "84eb93858a01c847176b80d18c9daa23f79403210b6dcccd3c63fedfe1f5d200";
    let secret = kiosque_server::captcha::Secret::from_bytes(b"kiosque-test-secret".to_vec());
    assert_eq!(secret.sign(challenge), signature);
    let payload = json!({ "algorithm": "SHA-256", "challenge": challenge, "number": 4242, "salt": salt, "signature": signature, "took": 5 });
    let token = base64::engine::general_purpose::STANDARD.encode(payload.to_string());
    let solved = secret.verify(&token, now_seconds()).expect("verifies");
    assert_eq!((solved.challenge.as_str(), solved.expires), (challenge, 4_102_444_800));
    assert!(secret.verify(&token, 4_102_444_800).is_err(), "expired at its expiry");
    let _: Value = payload;
}

on_both_backends!(a_solved_challenge_is_accepted_once, a_challenge_is_spent_only_when_its_comment_is_stored);
