//! The adapters between the flow and the Slint screens: Slint callbacks become flow events,
//! and after every step the flow's state is written into the adapter globals. The only module
//! that imports generated UI types.

mod render;

use std::cell::{Cell, Ref, RefCell};
use std::rc::{Rc, Weak};
use std::time::{Duration, Instant};

use layouts::{
    AppWindow, CheckInAdapter, ProblemAdapter, RefusedAdapter, ServicesAdapter, Session,
    StartAdapter, UnreachableAdapter,
};
use slint::ComponentHandle;

use crate::controller::Controller;
use crate::flow::{Event, Field, Flow, Key, Lang};

/// A booking shown in demo mode, touched to simulate its scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoBooking {
    /// What the button says.
    pub label: String,
    /// What the scanner would read.
    pub payload: String,
}

/// The running UI: the window, the flow, and the controller the flow's commands go to.
pub struct App {
    window: AppWindow,
    flow: RefCell<Flow>,
    controller: Controller,
    skew: Cell<Duration>,
    /// The wall clock shown in the header and used for "from 8:00 tomorrow": real time, or
    /// a fixed moment (tests, so screenshots change only when the screen does).
    wall_clock: Cell<Option<jiff::Timestamp>>,
    office_name: String,
    demo: Vec<DemoBooking>,
    applied_lang: Cell<Option<Lang>>,
    speaker: RefCell<crate::speech::Speaker>,
}

impl App {
    /// Wires `window` to `flow` and `controller` and shows the first state.
    pub fn new(
        window: AppWindow,
        flow: Flow,
        controller: Controller,
        office_name: String,
        demo: Vec<DemoBooking>,
    ) -> Rc<Self> {
        let app = Rc::new(Self {
            window,
            flow: RefCell::new(flow),
            controller,
            skew: Cell::new(Duration::ZERO),
            wall_clock: Cell::new(None),
            office_name,
            demo,
            applied_lang: Cell::new(None),
            speaker: RefCell::new(crate::speech::Speaker::default()),
        });
        wire(&app);
        app.render();
        app
    }

    /// The window.
    pub fn window(&self) -> &AppWindow {
        &self.window
    }

    /// The flow (for tests and the speech output).
    pub fn flow(&self) -> Ref<'_, Flow> {
        self.flow.borrow()
    }

    /// The flow's clock: the real one, moved on by [`advance`](Self::advance) in tests.
    pub fn now(&self) -> Instant {
        Instant::now() + self.skew.get()
    }

    /// The wall-clock time the screens show.
    pub fn wall_now(&self) -> jiff::Timestamp {
        self.wall_clock.get().unwrap_or_else(jiff::Timestamp::now)
    }

    /// Shows `at` as the time from now on (tests and screenshots).
    pub fn fix_wall_clock(&self, at: jiff::Timestamp) {
        self.wall_clock.set(Some(at));
        self.render();
    }

    /// Moves the flow's clock on (tests drive the inactivity timeout with it).
    pub fn advance(&self, by: Duration) {
        self.skew.set(self.skew.get() + by);
    }

    /// Applies an event: steps the flow, hands its commands to the controller, redraws.
    pub fn dispatch(&self, event: Event) {
        let now = self.now();
        let commands = self.flow.borrow_mut().step(event, now);
        for command in commands {
            self.controller.send(command);
        }
        self.render();
        self.speak();
    }

    /// Without an event loop (tests, benchmarks): applies the controller's answers from
    /// `events` until none has come for `quiet` and none is awaited. Panics when an awaited
    /// answer (services, a ticket, a print) takes longer than 20 s.
    pub fn settle(&self, events: &std::sync::mpsc::Receiver<Event>, quiet: Duration) {
        loop {
            let busy = matches!(
                self.flow().screen(),
                crate::flow::Screen::Progress(_)
                    | crate::flow::Screen::Ticket {
                        print: crate::flow::PrintState::Printing,
                        ..
                    }
            );
            let wait = if busy { Duration::from_secs(20) } else { quiet };
            match events.recv_timeout(wait) {
                Ok(e) => self.dispatch(e),
                Err(_) if !busy => return,
                Err(e) => panic!("no answer from the controller: {e}"),
            }
        }
    }

    /// Reads the touched control and the screen aloud when spoken guidance is on.
    fn speak(&self) {
        let prefs = self.flow.borrow().prefs();
        self.speaker
            .borrow_mut()
            .update(&self.window.get_spoken(), prefs.lang, prefs.speech);
    }

    /// Sends spoken guidance to `sink` instead of espeak-ng (tests, another engine).
    pub fn set_speech_sink(&self, sink: Box<dyn crate::speech::SpeechSink>) {
        *self.speaker.borrow_mut() = crate::speech::Speaker::new(sink);
    }
}

fn on(app: &Rc<App>, event: impl Fn() -> Event + 'static) -> impl Fn() + 'static {
    let weak: Weak<App> = Rc::downgrade(app);
    move || {
        if let Some(app) = weak.upgrade() {
            app.dispatch(event());
        }
    }
}

fn on_text(
    app: &Rc<App>,
    event: impl Fn(String) -> Option<Event> + 'static,
) -> impl Fn(slint::SharedString) + 'static {
    let weak: Weak<App> = Rc::downgrade(app);
    move |text| {
        if let (Some(app), Some(event)) = (weak.upgrade(), event(text.to_string())) {
            app.dispatch(event);
        }
    }
}

fn wire(app: &Rc<App>) {
    let w = &app.window;
    let session = w.global::<Session>();
    session.on_touched(on(app, || Event::Touch));
    session.on_help(on(app, || Event::Help));
    session.on_dismiss_help(on(app, || Event::DismissHelp));
    session.on_home(on(app, || Event::Home));
    session.on_continue_session(on(app, || Event::Continue));
    session.on_toggle_large_text(on(app, || Event::ToggleLargeText));
    session.on_toggle_high_contrast(on(app, || Event::ToggleHighContrast));
    session.on_toggle_low_layout(on(app, || Event::ToggleLowLayout));
    session.on_toggle_speech(on(app, || Event::ToggleSpeech));
    // The label is read with the result of the touch (the dispatch that follows it), or at
    // the next tick for a control that changes only the UI (the keyboard's symbol layer).
    let weak = Rc::downgrade(app);
    session.on_button_touched(move |label| {
        if let Some(app) = weak.upgrade() {
            app.speaker.borrow_mut().touched(&label);
        }
    });

    let start = w.global::<StartAdapter>();
    start.on_choose_language(on_text(app, |code| {
        Lang::from_code(&code).map(Event::Language)
    }));
    start.on_check_in(on(app, || Event::StartCheckIn));
    start.on_walk_in(on(app, || Event::StartWalkIn));
    start.on_demo_scan(on_text(app, |payload| Some(Event::Scanned(payload))));

    let check_in = w.global::<CheckInAdapter>();
    check_in.on_key(on_text(app, |k| {
        k.chars().next().map(|c| Event::Key(Key::Char(c)))
    }));
    check_in.on_backspace(on(app, || Event::Key(Key::Backspace)));
    let weak = Rc::downgrade(app);
    check_in.on_select_field(move |field| {
        if let Some(app) = weak.upgrade() {
            let field = if field == 0 {
                Field::Booking
            } else {
                Field::Code
            };
            app.dispatch(Event::SelectField(field));
        }
    });
    check_in.on_submit(on(app, || Event::SubmitCheckIn));

    w.global::<ServicesAdapter>()
        .on_choose(on_text(app, |id| Some(Event::ChooseService(id))));
    let problem = w.global::<ProblemAdapter>();
    problem.on_retry(on(app, || Event::StartCheckIn));
    problem.on_walk_in_instead(on(app, || Event::WalkInInstead));
    w.global::<RefusedAdapter>()
        .on_other_service(on(app, || Event::StartWalkIn));
    w.global::<UnreachableAdapter>()
        .on_retry(on(app, || Event::StartWalkIn));
}
