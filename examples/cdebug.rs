use collatio::engine::Checker;
use collatio::knowledge::Knowledge;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let c = Checker::new(Knowledge::embedded());
    let a = c.document_from_text(&args[1], &std::fs::read_to_string(&args[1]).unwrap());
    let b = c.document_from_text(&args[2], &std::fs::read_to_string(&args[2]).unwrap());
    let fa = collatio::corroborate::events::extract(&a, &c.kb);
    let fb = collatio::corroborate::events::extract(&b, &c.kb);
    let needle = &args[3];
    for (n, d, fs) in [("A", &a, &fa), ("B", &b, &fb)] {
        for (i, f) in fs.iter().enumerate() {
            let t = d.slice(f.span.clone());
            if t.contains(needle.as_str()) {
                println!("{n}{i} {} {:?} places={:?} counts={:?} grams={} | {}", f.when.text(), f.source, f.places, f.counts.iter().map(|c| format!("{}{}", c.value, c.what)).collect::<Vec<_>>(), f.grams.len(), t);
                let other = if n == "A" { &fb } else { &fa };
                let mut best: Vec<(f64, usize)> = other.iter().enumerate().map(|(j, g)| (collatio::corroborate::pair::overlap(f, g), j)).collect();
                best.sort_by(|x, y| y.0.total_cmp(&x.0));
                for (o, j) in best.iter().take(3) {
                    let od = if n == "A" { &b } else { &a };
                    println!("    {o:.2} {} {}", other[*j].when.text(), od.slice(other[*j].span.clone()));
                }
            }
        }
    }
}
