//! Printer models: everything that differs between ESC/POS ticket printers, in one table. To
//! support a new printer, add a [`PrinterModel`] to [`MODELS`] (and, if it behaves differently
//! on the wire, teach the simulator the difference and add a test).

use std::time::Duration;

/// How the driver learns that a job has been printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmation {
    /// `GS ( H` process-ID response: the printer answers once everything before it is printed.
    /// The strong guarantee; Epson TM printers since the TM-T88IV have it.
    ProcessId,
    /// No process-ID support: after the transfer, watch the status for this long (longer than
    /// a ticket takes to print); the job counts as printed if no problem shows up.
    StatusAfter(Duration),
}

/// What the driver needs to know about a printer model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrinterModel {
    /// Name for logs and the IT tool.
    pub name: &'static str,
    /// USB vendor and product IDs it is known by.
    pub usb_ids: &'static [(u16, u16)],
    /// The `ESC t` number of code page PC858 (€ at 0xD5) on this model.
    pub pc858_table: u8,
    /// How printed jobs are confirmed.
    pub confirmation: Confirmation,
    /// Whether it supports `DLE DC4 8` (clear buffers) to drop the rest of a failed job.
    pub clear_buffers: bool,
}

/// Epson TM-T88V / TM-T88VI and compatibles (also the simulator's default behaviour).
pub const EPSON_TM_T88: PrinterModel = PrinterModel {
    name: "Epson TM-T88",
    usb_ids: &[(0x04b8, 0x0202)],
    pc858_table: 19,
    confirmation: Confirmation::ProcessId,
    clear_buffers: true,
};

/// Any other ESC/POS printer: no process-ID response, no buffer clearing.
pub const GENERIC_ESCPOS: PrinterModel = PrinterModel {
    name: "generic ESC/POS",
    usb_ids: &[],
    pc858_table: 19,
    confirmation: Confirmation::StatusAfter(Duration::from_secs(3)),
    clear_buffers: false,
};

/// Known models, looked up by USB IDs.
pub const MODELS: &[PrinterModel] = &[EPSON_TM_T88];

/// The model with these USB IDs, or [`GENERIC_ESCPOS`].
pub fn model_for(vendor_id: u16, product_id: u16) -> &'static PrinterModel {
    MODELS
        .iter()
        .find(|m| m.usb_ids.contains(&(vendor_id, product_id)))
        .unwrap_or(&GENERIC_ESCPOS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epson_is_known_by_its_ids_and_anything_else_is_generic() {
        assert_eq!(model_for(0x04b8, 0x0202).name, "Epson TM-T88");
        assert_eq!(model_for(0x0416, 0x5011), &GENERIC_ESCPOS);
    }
}
