//! What the figures run on: a window on Slint's software renderer drawing into a persistent
//! XRGB8888 frame buffer, as the linuxkms backend does on a terminal without a compositor,
//! and the reference back office in a child process so the kiosk's own memory can be read.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::rc::Rc;
use std::time::Duration;

use slint::PlatformError;
use slint::platform::software_renderer::{
    MinimalSoftwareWindow, PremultipliedRgbaColor, RepaintBufferType, TargetPixel,
};
use slint::platform::{Platform, WindowAdapter};

/// One pixel of a DRM dumb buffer in the XRGB8888 format.
#[repr(transparent)]
#[derive(Clone, Copy, Default)]
pub struct Xrgb8888(pub u32);

impl TargetPixel for Xrgb8888 {
    fn blend(&mut self, c: PremultipliedRgbaColor) {
        let a = u32::from(u8::MAX - c.alpha);
        let ch = |shift: u32, add: u8| (((self.0 >> shift) & 0xff) * a / 255) + u32::from(add);
        self.0 = 0xff00_0000 | (ch(16, c.red) << 16) | (ch(8, c.green) << 8) | ch(0, c.blue);
    }

    fn from_rgb(r: u8, g: u8, b: u8) -> Self {
        Self(0xff00_0000 | (u32::from(r) << 16) | (u32::from(g) << 8) | u32::from(b))
    }
}

/// The platform of the bench: one software-rendered window.
pub struct Screen {
    /// The window every component is shown in.
    pub window: Rc<MinimalSoftwareWindow>,
}

impl Platform for Screen {
    fn create_window_adapter(&self) -> Result<Rc<dyn WindowAdapter>, PlatformError> {
        Ok(self.window.clone())
    }
}

/// The frame buffer and the window that draws into it.
pub struct Frame {
    window: Rc<MinimalSoftwareWindow>,
    pixels: Vec<Xrgb8888>,
    width: usize,
}

impl Frame {
    /// Installs the platform with a `width`×`height` frame buffer. Call once, first.
    pub fn install(width: u32, height: u32) -> Self {
        let window = MinimalSoftwareWindow::new(RepaintBufferType::ReusedBuffer);
        slint::platform::set_platform(Box::new(Screen {
            window: window.clone(),
        }))
        .expect("the bench's platform");
        window.set_size(slint::PhysicalSize::new(width, height));
        Self {
            window,
            pixels: vec![Xrgb8888::default(); (width * height) as usize],
            width: width as usize,
        }
    }

    /// Draws what changed since the last frame (the terminal's normal case); false if nothing
    /// had to be drawn.
    pub fn draw(&mut self) -> bool {
        let (pixels, width) = (&mut self.pixels, self.width);
        self.window.draw_if_needed(|r| {
            r.render(pixels, width);
        })
    }

    /// Draws the whole frame from scratch, with no cached content.
    pub fn draw_full(&mut self) {
        let (pixels, width) = (&mut self.pixels, self.width);
        self.window.request_redraw();
        self.window.draw_if_needed(|r| {
            r.set_repaint_buffer_type(RepaintBufferType::NewBuffer);
            r.render(pixels, width);
            r.set_repaint_buffer_type(RepaintBufferType::ReusedBuffer);
        });
    }

    /// Writes the frame buffer as a PNG (to check by eye that the figures draw real frames).
    pub fn save_png(&self, path: &Path) {
        let rgb: Vec<u8> = self
            .pixels
            .iter()
            .flat_map(|p| [(p.0 >> 16) as u8, (p.0 >> 8) as u8, p.0 as u8])
            .collect();
        let file = std::fs::File::create(path).expect("frame file");
        let height = (self.pixels.len() / self.width) as u32;
        let mut png = png::Encoder::new(std::io::BufWriter::new(file), self.width as u32, height);
        png.set_color(png::ColorType::Rgb);
        png.write_header()
            .and_then(|mut w| w.write_image_data(&rgb))
            .expect("frame written");
    }

    /// Runs due timers and animations, as the event loop does between frames.
    pub fn tick(&self) {
        slint::platform::update_timers_and_animations();
    }
}

/// The environment variable that makes the bench binary serve the back office.
const CHILD: &str = "BT_BENCH_BACK_OFFICE";

/// The reference back office with its demo data, in a child process of this binary.
pub struct ChildBackOffice {
    child: Child,
    /// Its address.
    pub addr: std::net::SocketAddr,
    /// An appointment of today that can be checked in now: booking number and code.
    pub booking: (String, String),
}

impl ChildBackOffice {
    /// Starts it on a free port with its data in `dir`.
    pub fn start(dir: &Path) -> Self {
        let mut child = Command::new(std::env::current_exe().expect("own path"))
            .env(CHILD, dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("back office process");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the back office's address");
        let mut words = line.split_whitespace();
        let mut next = || words.next().expect("address, booking, code").to_owned();
        let addr = next().parse().expect("an address");
        let booking = (next(), next());
        Self {
            child,
            addr,
            booking,
        }
    }

    /// Its resident memory in KiB.
    pub fn rss_kib(&self) -> u64 {
        rss_kib(&format!("/proc/{}/status", self.child.id()))
    }
}

impl Drop for ChildBackOffice {
    fn drop(&mut self) {
        // Closing its stdin ends it; it gets five seconds to stop the server.
        drop(self.child.stdin.take());
        for _ in 0..50 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
    }
}

/// In the child: serves the back office until stdin closes. Returns false in the parent.
pub fn serve_if_child() -> bool {
    let Some(dir) = std::env::var_os(CHILD) else {
        return false;
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let any_port = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
    let embedded = runtime
        .block_on(backoffice::demo::start(Path::new(&dir), any_port))
        .expect("back office");
    let a = &embedded.appointments[12];
    println!("{} {} {}", embedded.server.addr, a.booking_number, a.code);
    std::io::stdout().flush().expect("stdout");
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    runtime.block_on(embedded.server.stop());
    true
}

/// Resident memory in KiB from a `/proc/…/status` file.
pub fn rss_kib(status: &str) -> u64 {
    std::fs::read_to_string(status)
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

/// The `p` quantile (0–1) of `samples`, in milliseconds.
pub fn quantile_ms(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i].as_secs_f64() * 1e3
}
