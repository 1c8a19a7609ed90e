//! The `devices` tool as IT runs it.

use std::process::Command;

fn devices(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_devices"))
        .args(args)
        .output()
        .expect("binary runs")
}

#[test]
fn test_ticket_on_the_simulator_prints_confirms_and_writes_the_png() {
    let png = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-ticket.png");
    let out = devices(&[
        "test-ticket",
        "--sim",
        "--paper",
        "58",
        "--png",
        png.to_str().expect("utf-8 path"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("printed and confirmed"));
    assert!(
        std::fs::read(&png)
            .expect("PNG written")
            .starts_with(b"\x89PNG")
    );
}

#[test]
fn list_explains_a_missing_usbfs_and_fails() {
    if std::path::Path::new("/dev/bus/usb").is_dir() {
        assert!(devices(&["list"]).status.success());
        return;
    }
    let out = devices(&["list"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no usbfs at /dev/bus/usb"));
}

#[test]
fn bad_printer_id_is_explained() {
    let out = devices(&["status", "--printer", "epson"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("VID:PID"));
}
