use std::net::{IpAddr, SocketAddr};

use actix_web::test::TestRequest;

use super::*;

fn limiters(trust_proxy: bool, login_per_minute: u32) -> Limiters {
    let mut s = Settings::default();
    s.server.trust_proxy = trust_proxy;
    s.limits.login_per_minute = login_per_minute;
    Limiters::new(&s)
}

fn peer(ip: [u8; 4]) -> SocketAddr {
    SocketAddr::from((ip, 40000))
}

fn request(from: [u8; 4], forwarded: &[&str]) -> HttpRequest {
    let mut r = TestRequest::default().peer_addr(peer(from));
    for line in forwarded {
        r = r.append_header(("x-forwarded-for", *line));
    }
    r.to_http_request()
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

#[test]
fn the_right_most_forwarded_entry_is_the_client() {
    let l = limiters(true, 10);
    let req = request([10, 0, 0, 1], &["6.6.6.6, 203.0.113.7"]);
    assert_eq!(l.client_ip(&req), ip("203.0.113.7"));
    let req = request([10, 0, 0, 1], &["6.6.6.6", "7.7.7.7, 203.0.113.8"]);
    assert_eq!(l.client_ip(&req), ip("203.0.113.8"), "several header lines");
    let req = request([10, 0, 0, 1], &["6.6.6.6, [2001:db8::1]:443"]);
    assert_eq!(l.client_ip(&req), ip("2001:db8::1"));
    for garbled in ["6.6.6.6, not-an-address", "6.6.6.6, ", ""] {
        let req = request([10, 0, 0, 1], &[garbled]);
        assert_eq!(l.client_ip(&req), ip("10.0.0.1"), "{garbled:?}: the peer");
    }
    let req = request([10, 0, 0, 1], &[]);
    assert_eq!(l.client_ip(&req), ip("10.0.0.1"), "no header: the peer");
    let untrusted = limiters(false, 10);
    let req = request([10, 0, 0, 1], &["203.0.113.7"]);
    assert_eq!(
        untrusted.client_ip(&req),
        ip("10.0.0.1"),
        "proxy not trusted"
    );
}

#[test]
fn forging_the_left_of_the_list_does_not_escape_the_limit() {
    let l = limiters(true, 3);
    let results: Vec<bool> = (0..5)
        .map(|i| {
            let forged = format!("198.51.100.{i}, 203.0.113.9");
            l.check(&l.login, &request([10, 0, 0, 1], &[&forged]))
                .is_ok()
        })
        .collect();
    assert_eq!(results, [true, true, true, false, false]);
}

#[test]
fn recovered_addresses_are_pruned() {
    // 60,000 a minute: one unit comes back every millisecond.
    let l = limiters(false, 60_000);
    for i in 0..1000u32 {
        let [_, a, b, c] = i.to_be_bytes();
        l.check(&l.login, &request([10, a, b, c], &[])).unwrap();
    }
    assert_eq!(l.tracked(), 1000);
    std::thread::sleep(Duration::from_millis(20));
    // Further checks from one address: the periodic prune drops the recovered ones.
    let one = request([192, 0, 2, 1], &[]);
    for _ in 0..PRUNE_EVERY {
        l.check(&l.login, &one).unwrap();
    }
    assert!(l.tracked() <= 1, "{} addresses kept", l.tracked());
    std::thread::sleep(Duration::from_millis(20));
    l.prune();
    assert!(l.tracked() <= 1);
}
