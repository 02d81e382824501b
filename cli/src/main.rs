//! `cccd`: read, verify and inspect Vietnamese chip ID cards.
//!
//! A thin layer: parse arguments, call the `cccd` libraries, print. Exit codes: 0 success /
//! verified, 1 not verified, 2 bad input or usage, 3 reader or card I/O, 4 inconclusive.
#![forbid(unsafe_code)]

mod args;
mod card;
mod commands;
mod exit;
mod html;
mod identity_rows;
mod logging;
mod output;
mod translations;

use clap::{Parser, Subcommand};

// The words of human output and the HTML report (cli/locales/app.yml), English by default.
rust_i18n::i18n!("locales", fallback = "en");
use std::process::ExitCode;

/// Read and verify the NFC chip of Vietnam's chipped citizen ID cards (CCCD, Căn cước).
#[derive(Debug, Parser)]
#[command(name = "cccd", version, about, long_about = None, after_help = EXIT_CODES)]
struct Cli {
    /// Log protocol steps to stderr: -v info, -vv debug, -vvv every APDU header. Logs never
    /// hold personal data.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
    /// When to colour human output (auto: on a terminal, unless NO_COLOR is set).
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = output::ColorChoice::Auto, global = true)]
    color: output::ColorChoice,
    /// Language of human output and the HTML report (default: from LC_ALL, LC_MESSAGES or
    /// LANG: vi_* gives Vietnamese, anything else English). JSON does not change.
    #[arg(long, value_enum, value_name = "LANG", global = true)]
    lang: Option<output::Lang>,
    /// Logs as JSON lines (for a log collector) instead of text.
    #[arg(long, global = true)]
    log_json: bool,
    #[command(subcommand)]
    command: Command,
}

const EXIT_CODES: &str = "\
Exit codes:
  0  success (for verify: verified)
  1  not verified (a check failed)
  2  bad input or usage
  3  reader or card I/O error
  4  inconclusive (nothing failed, but a required proof is missing: no CSCA anchors the
     document signer, or the chip was not proven genuine to this verifier)

Environment:
  CCCD_CSCA        a CSCA file or folder, as --csca (for kiosks and services)
  CCCD_CRL         a CRL file or folder, as --crl
  CCCD_MASTERLIST  an ICAO CSCA master list, as --masterlist
  NO_COLOR         no colour in human output (--color auto)";

#[derive(Debug, Subcommand)]
enum Command {
    /// Verify a card: a dump folder, or the card in a reader.
    ///
    /// A card read here is proven genuine by chip authentication performed here. A dump proves
    /// its chip genuine only by an AA answer over the challenge you issued (--aa-challenge);
    /// its card.json counts only with --trust-recorded-auth. Otherwise a good dump is
    /// inconclusive (exit 4).
    #[command(
        arg_required_else_help = true,
        override_usage = "cccd verify <DIR> [OPTIONS]              (a dump folder)
       cccd verify --reader <NAME> <KEY> [OPTIONS] (the card in a reader)
       cccd verify --batch <DIR> [OPTIONS]        (every dump folder inside DIR)",
        after_help = "Examples:
  cccd verify testdata/cards/v01-hung-ec-bp384 --csca testdata/pki/csca-ec.crt.pem --aa-challenge 8c57d28d2066fdb8 --at 2025-06-01
  cccd verify testdata/cards/v01-hung-ec-bp384 --csca testdata/pki --at 2025-06-01 --json
  cccd verify --batch testdata/cards --csca testdata/pki --trust-recorded-auth --at 2025-06-01 --json
  cccd verify --reader 'Virtual PCD 00 00' --can 082497 --csca testdata/pki --html report.html"
    )]
    Verify(commands::verify::Args),
    /// Read a card through a PC/SC reader into a dump folder.
    #[command(after_help = "Examples:
  cccd read -o dump --id 001099000001 --dob 1999-01-01
  cccd read -o dump --can 000001 --face
  cccd read -o dump --mrz 'IDVNM0990000017001099000001<<8|9901018M3901016VNM<<<<<<<<<<<4|NGUYEN<<VAN<A<<<<<<<<<<<<<<<<<'")]
    Read(commands::read::Args),
    /// Show everything on a dumped card.
    #[command(
        after_help = "Examples:\n  cccd inspect testdata/cards/v01-hung-ec-bp384\n  cccd inspect testdata/cards/v01-hung-ec-bp384 --face face.png\n  cccd inspect testdata/cards/v01-hung-ec-bp384 --json --redact"
    )]
    Inspect(commands::inspect::Args),
    /// Decode a card's QR (text or picture) and explain the ID number.
    #[command(
        after_help = "Examples:\n  cccd qr '001099000001||Nguyễn Văn A|01011999|Nam|Hà Nội|10052021'\n  cccd qr --image testdata/qr/p04-hung.png --json"
    )]
    Qr(commands::qr::Args),
    /// Parse an MRZ: every field, every check digit, and the BAC key seed.
    #[command(
        after_help = "Examples:\n  cccd mrz 'IDVNM0990000017001099000001<<8|9901018M3901016VNM<<<<<<<<<<<4|NGUYEN<<VAN<A<<<<<<<<<<<<<<<<<'"
    )]
    Mrz(commands::mrz::Args),
    /// List the certificates a trust store would hold (CSCAs, master lists, CRLs).
    #[command(
        after_help = "Examples:\n  cccd trust testdata/pki\n  cccd trust testdata/pki/csca-ec.crt.pem --json"
    )]
    Trust(commands::trust::Args),
    /// List PC/SC readers and whether a card is present.
    #[command(after_help = "Examples:\n  cccd readers\n  cccd readers --probe --json")]
    Readers(commands::readers::Args),
    /// Serve a dump as a card through pcscd's virtual reader (vpcd).
    #[cfg(feature = "sim")]
    #[command(after_help = "Examples:
  cccd simulate testdata/cards/v01-hung-ec-bp384 &
  cccd simulate testdata/cards/v03-minh-rsa-pkcs1 --profile bac-only --no-extended --port 35964")]
    Simulate(commands::simulate::Args),
    /// Run the HTTP service: remote reading over a relay, dump verification, challenges.
    #[command(after_help = "Examples:
  cccd serve --csca testdata/pki --listen 127.0.0.1:8080")]
    Serve(commands::serve::Args),
    /// Relay a card to `cccd serve`, which reads and verifies it itself.
    #[cfg_attr(
        feature = "sim",
        command(after_help = "Examples:
  cccd relay --server ws://127.0.0.1:8080/v1/read --reader 'Virtual PCD 00 00' --can 082497
  cccd relay --server ws://127.0.0.1:8080/v1/read --sim testdata/cards/v01-hung-ec-bp384 --can 082497 --rtt-ms 50 --json")
    )]
    #[cfg_attr(
        not(feature = "sim"),
        command(after_help = "Examples:
  cccd relay --server ws://127.0.0.1:8080/v1/read --reader 'Virtual PCD 00 00' --can 082497 --json")
    )]
    Relay(commands::relay::Args),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(after_help = "Examples:
  cccd completions bash > ~/.local/share/bash-completion/completions/cccd
  cccd completions zsh > ~/.zfunc/_cccd")]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), for `man -l -` or a man1 folder.
    #[command(after_help = "Examples:
  cccd man > cccd.1")]
    Man,
    /// Check a signed receipt from `cccd serve`.
    #[command(after_help = "Examples:\n  cccd receipt verify receipt.jws --key receipt-pub.pem")]
    Receipt(commands::receipt::Args),
}

/// `cccd man`: the manual page of the whole command, subcommands included.
fn write_man_page() -> Result<exit::Exit, exit::CliError> {
    use std::fmt::Write as _;
    let command = <Cli as clap::CommandFactory>::command();
    let mut page = Vec::new();
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(&mut page)
        .and_then(|()| man.render_name_section(&mut page))
        .and_then(|()| man.render_synopsis_section(&mut page))
        .and_then(|()| man.render_description_section(&mut page))
        .and_then(|()| man.render_options_section(&mut page))
        .and_then(|()| man.render_subcommands_section(&mut page))
        .and_then(|()| man.render_extra_section(&mut page))
        .map_err(|e| exit::CliError::Io(format!("cannot render the manual page: {e}")))?;
    let mut page =
        String::from_utf8_lossy(&page).replace(".SH EXTRA", ".SH \"EXIT STATUS AND ENVIRONMENT\"");
    // Each subcommand's synopsis, options and examples, as subsections of one page
    // (clap_mangen would write one page per command).
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("cccd {}", sub.get_name());
        let man = clap_mangen::Man::new(sub.clone().bin_name(name.clone()));
        let mut part = Vec::new();
        man.render_synopsis_section(&mut part)
            .and_then(|()| man.render_options_section(&mut part))
            .and_then(|()| man.render_extra_section(&mut part))
            .map_err(|e| exit::CliError::Io(format!("cannot render the manual page: {e}")))?;
        let part = String::from_utf8_lossy(&part)
            .replace(".SH EXTRA", ".SS EXAMPLES")
            .replace(".SH ", ".SS ");
        let _ = write!(page, ".SH \"{}\"\n{part}", name.to_uppercase());
    }
    outln!("{}", page.trim_end());
    Ok(exit::Exit::Success)
}

/// Whether the command line asks for JSON: errors then go to standard output as an error
/// document (`schemas/error.schema.json`), usage errors included.
fn wants_json() -> bool {
    std::env::args_os().skip(1).any(|a| a == "--json")
}

fn main() -> ExitCode {
    let json = wants_json();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if json && e.use_stderr() => {
            // Usage errors are exit 2 as clap has them; --help and --version print as usual.
            let text = e.render().to_string();
            let message = text.trim().trim_start_matches("error: ");
            // A value that fails its check (a 5-digit CAN, an 11-digit ID) is bad input;
            // a missing or unknown argument is usage.
            let kind = if e.kind() == clap::error::ErrorKind::ValueValidation {
                "bad_input"
            } else {
                "usage"
            };
            outln!(
                "{}",
                exit::error_json(kind, exit::Exit::BadInput, message, None)
            );
            return exit::Exit::BadInput.into();
        }
        Err(e) => e.exit(),
    };
    output::set_color(cli.color);
    rust_i18n::set_locale(cli.lang.unwrap_or_else(output::Lang::from_env).code());
    // `serve` installs its own JSON log subscriber.
    if !matches!(cli.command, Command::Serve(_)) {
        logging::init(cli.verbose, cli.log_json);
    }
    let result = match cli.command {
        Command::Verify(args) => commands::verify::run(&args),
        Command::Read(args) => commands::read::run(&args),
        Command::Inspect(args) => commands::inspect::run(&args),
        Command::Qr(args) => commands::qr::run(&args),
        Command::Mrz(args) => commands::mrz::run(&args),
        Command::Trust(args) => commands::trust::run(&args),
        Command::Readers(args) => commands::readers::run(&args),
        #[cfg(feature = "sim")]
        Command::Simulate(args) => commands::simulate::run(&args),
        Command::Serve(args) => commands::serve::run(&args),
        Command::Relay(args) => commands::relay::run(&args),
        Command::Receipt(args) => commands::receipt::run(&args),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "cccd", &mut std::io::stdout());
            Ok(exit::Exit::Success)
        }
        Command::Man => write_man_page(),
    };
    match result {
        Ok(code) => code.into(),
        Err(e) if json => {
            outln!("{}", e.to_json());
            e.exit_code().into()
        }
        Err(e) => {
            eprintln!("cccd: {}", crate::output::escape_untrusted(&e.to_string()));
            e.exit_code().into()
        }
    }
}
