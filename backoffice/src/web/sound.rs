//! Sounds synthesised here (nothing downloaded): the call display's two-tone chime and the
//! console's help-request alert, as 16-bit mono PCM WAV.

use std::f64::consts::PI;

const RATE: u32 = 22_050;

/// A tone: frequency (Hz), start and length (s), loudness 0–1.
struct Tone {
    hz: f64,
    start: f64,
    length: f64,
    level: f64,
}

fn render(tones: &[Tone], total: f64) -> Vec<u8> {
    let n = (total * f64::from(RATE)) as usize;
    let mut samples = vec![0.0_f64; n];
    for tone in tones {
        let first = (tone.start * f64::from(RATE)) as usize;
        let count = (tone.length * f64::from(RATE)) as usize;
        for i in 0..count.min(n.saturating_sub(first)) {
            let t = i as f64 / f64::from(RATE);
            // A bell: quick attack, exponential decay, a quiet octave overtone.
            let envelope = (t / 0.01).min(1.0) * (-3.2 * t / tone.length).exp();
            let wave = (2.0 * PI * tone.hz * t).sin() + 0.3 * (4.0 * PI * tone.hz * t).sin();
            samples[first + i] += tone.level * envelope * wave / 1.3;
        }
    }
    wav(&samples)
}

fn wav(samples: &[f64]) -> Vec<u8> {
    let data_len = (samples.len() * 2) as u32;
    let mut out = Vec::with_capacity(44 + samples.len() * 2);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&RATE.to_le_bytes());
    out.extend_from_slice(&(RATE * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for s in samples {
        let v = (s.clamp(-1.0, 1.0) * f64::from(i16::MAX)) as i16;
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

/// The call display's "ding-dong" (E5 then C5), about 1.8 s.
pub fn chime() -> Vec<u8> {
    render(
        &[
            Tone {
                hz: 659.25,
                start: 0.0,
                length: 1.0,
                level: 0.7,
            },
            Tone {
                hz: 523.25,
                start: 0.55,
                length: 1.25,
                level: 0.7,
            },
        ],
        1.8,
    )
}

/// The console's help alert: three short high beeps, about 0.9 s.
pub fn alert() -> Vec<u8> {
    let beeps: Vec<Tone> = (0..3)
        .map(|i| Tone {
            hz: 987.77,
            start: f64::from(i) * 0.28,
            length: 0.22,
            level: 0.6,
        })
        .collect();
    render(&beeps, 0.9)
}

#[cfg(test)]
mod tests {
    #[test]
    fn chime_is_a_valid_wav() {
        let w = super::chime();
        assert_eq!(&w[0..4], b"RIFF");
        assert_eq!(&w[8..12], b"WAVE");
        let data_len = u32::from_le_bytes([w[40], w[41], w[42], w[43]]) as usize;
        assert_eq!(w.len(), 44 + data_len);
        assert!(data_len > 22_050 * 2, "longer than a second");
        assert!(w[44..].iter().any(|b| *b != 0), "not silent");
    }
}
