//! `demo moons`: write the generated two-moons data set as CSV (and optionally its scatter plot).

use crate::atomic;
use crate::cli::MoonsArgs;
use crate::data;
use crate::error::Result;
use crate::moons::make_moons;
use crate::output;
use crate::plot;
use crate::say;

/// Generates the points and writes them to `--out` (`-`: standard output) and `--plot`.
pub fn run(args: &MoonsArgs) -> Result<()> {
    if atomic::is_stdout(&args.out) {
        output::reserve_stdout_for_data();
    }
    atomic::check_writable(&args.out)?;
    if let Some(plot) = &args.plot {
        atomic::refuse_stdout("--plot", plot)?;
        atomic::check_writable(plot)?;
    }
    crate::moons::check_memory(args.n, "--n")?;
    let moons = make_moons(args.n, args.noise, args.seed);
    data::write_labeled(&args.out, &moons)?;
    say!(
        "wrote {} points (noise {}, seed {}) to {}",
        args.n,
        args.noise,
        args.seed,
        args.out.display()
    );
    if let Some(plot) = &args.plot {
        let title = format!("{} moons points, noise {}", args.n, args.noise);
        plot::scatter_figure(plot, &moons, &title)?;
        say!("wrote {}", plot.display());
    }
    Ok(())
}
