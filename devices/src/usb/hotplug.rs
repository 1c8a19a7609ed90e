//! USB hotplug notices where libusb offers them (Linux with usbfs): a background thread turns
//! arrivals and departures into messages, so the printer link reconnects at once instead of at
//! its next poll. Where hotplug is missing, polling alone does the job.

use super::inventory::usb_context;
use super::transport::TransportError;
use rusb::{Context, Device, HotplugBuilder, UsbContext};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel, sync_channel};
use std::thread::JoinHandle;
use std::time::Duration;

/// A device came or went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HotplugNotice {
    /// Attached.
    Arrived {
        /// Vendor ID.
        vendor_id: u16,
        /// Product ID.
        product_id: u16,
    },
    /// Detached.
    Left {
        /// Vendor ID.
        vendor_id: u16,
        /// Product ID.
        product_id: u16,
    },
}

struct Forward(Sender<HotplugNotice>);

fn ids(device: &Device<Context>) -> (u16, u16) {
    device
        .device_descriptor()
        .map(|d| (d.vendor_id(), d.product_id()))
        .unwrap_or((0, 0))
}

impl rusb::Hotplug<Context> for Forward {
    fn device_arrived(&mut self, device: Device<Context>) {
        let (vendor_id, product_id) = ids(&device);
        tracing::info!(vendor_id, product_id, "USB device arrived");
        let _ = self.0.send(HotplugNotice::Arrived {
            vendor_id,
            product_id,
        });
    }

    fn device_left(&mut self, device: Device<Context>) {
        let (vendor_id, product_id) = ids(&device);
        tracing::info!(vendor_id, product_id, "USB device left");
        let _ = self.0.send(HotplugNotice::Left {
            vendor_id,
            product_id,
        });
    }
}

/// The running watcher; dropping it stops the thread.
#[derive(Debug)]
pub struct HotplugWatcher {
    notices: Receiver<HotplugNotice>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl HotplugWatcher {
    /// Starts watching, or `Ok(None)` when libusb has no hotplug support here (then poll).
    pub fn start() -> Result<Option<Self>, TransportError> {
        if !rusb::has_hotplug() {
            return Ok(None);
        }
        // Fail early, in the caller's thread, when there is no usbfs.
        drop(usb_context()?);
        let (tx, notices) = channel();
        let (ready_tx, ready_rx) = sync_channel(1);
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("usb-hotplug".into())
            .spawn(move || {
                let setup = usb_context().and_then(|ctx| {
                    let reg = HotplugBuilder::new()
                        .enumerate(false)
                        .register(&ctx, Box::new(Forward(tx)))
                        .map_err(|source| TransportError::Usb {
                            operation: "hotplug registration",
                            source,
                        })?;
                    Ok((ctx, reg))
                });
                let (ctx, _registration) = match setup {
                    Ok(ok) => {
                        let _ = ready_tx.send(Ok(()));
                        ok
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                while !stopping.load(Ordering::Relaxed) {
                    if let Err(e) = ctx.handle_events(Some(Duration::from_millis(250))) {
                        tracing::warn!(error = %e, "USB event handling failed");
                    }
                }
            })
            .map_err(|_| TransportError::NotFound {
                what: "a thread for USB hotplug".into(),
            })?;
        match ready_rx.recv() {
            Ok(Ok(())) => Ok(Some(Self {
                notices,
                stop,
                thread: Some(thread),
            })),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(TransportError::NotFound {
                what: "the USB hotplug thread".into(),
            }),
        }
    }

    /// Waits up to `timeout` for the next notice.
    pub fn next(&self, timeout: Duration) -> Option<HotplugNotice> {
        self.notices.recv_timeout(timeout).ok()
    }
}

impl Drop for HotplugWatcher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
