//! The fullscreen self-service application on the terminal and the visitor flows behind it.
