//! Waiting-time estimators for a Bürgeramt queue, free of I/O.
