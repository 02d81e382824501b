use super::*;
use std::collections::VecDeque;

/// A scripted peer: checks each command it receives and answers from a list.
struct Script {
    steps: VecDeque<(Vec<u8>, Vec<u8>)>,
}

impl Script {
    #[allow(clippy::unnecessary_wraps)] // the shape transmit_with_retries takes
    fn exchange(&mut self, c: &Command) -> Result<Response, TransportError> {
        let (expect, answer) = self.steps.pop_front().expect("unexpected extra command");
        assert_eq!(c.to_bytes().unwrap(), expect);
        Ok(Response::parse(&answer).unwrap())
    }
}

#[test]
fn get_response_chains_61xx() {
    let mut s = Script {
        steps: VecDeque::from([
            (vec![0x00, 0xB0, 0, 0, 0x00], vec![1, 2, 0x61, 0x03]),
            (vec![0x00, 0xC0, 0, 0, 0x03], vec![3, 4, 5, 0x90, 0x00]),
        ]),
    };
    let r = transmit_with_retries(|c| s.exchange(c), &Command::new(0, 0xB0, 0, 0).with_le(256))
        .unwrap();
    assert_eq!(r.data, [1, 2, 3, 4, 5]);
    assert!(r.is_ok());
    assert!(s.steps.is_empty());
}

#[test]
fn wrong_le_is_resent_once() {
    let mut s = Script {
        steps: VecDeque::from([
            (vec![0x00, 0xB0, 0, 0, 0x10], vec![0x6C, 0x04]),
            (vec![0x00, 0xB0, 0, 0, 0x04], vec![9, 9, 9, 9, 0x90, 0x00]),
        ]),
    };
    let r =
        transmit_with_retries(|c| s.exchange(c), &Command::new(0, 0xB0, 0, 0).with_le(16)).unwrap();
    assert_eq!(r.data, [9, 9, 9, 9]);
}

#[test]
fn endless_61xx_is_an_error_not_a_hang() {
    let r = transmit_with_retries(
        |_| Ok(Response::new(vec![0; 255], StatusWord::BytesAvailable(0))),
        &Command::new(0, 0xB0, 0, 0).with_le(256),
    );
    assert!(matches!(r, Err(TransportError::Other(_))));
}

#[test]
fn errors_pass_through() {
    let r = transmit_with_retries(
        |_| Err(TransportError::CardRemoved),
        &Command::new(0, 0xA4, 0, 0),
    );
    assert_eq!(r, Err(TransportError::CardRemoved));
}
