use super::*;
use proptest::prelude::*;

fn decode(q: &str) -> (Scenario, Vec<String>) {
    Scenario::from_query(q)
}

/// Every invariant a decoded scenario must hold, whatever the input.
fn assert_valid(s: &Scenario) {
    assert!(!s.enabled.is_empty());
    assert!(s.enabled.windows(2).all(|w| w[0] < w[1]), "sorted, unique");
    assert!(s.start.is_finite());
    assert_eq!(s.hypers.len(), 14);
    for (h, k) in s.hypers.iter().zip(OptimizerKind::ALL) {
        assert_eq!(h.kind(), k);
        for (p, v) in h.iter() {
            assert_eq!(p.check(v), Ok(v), "{} {}", k.slug(), p.name);
        }
    }
    for (p, v) in s.schedule.iter() {
        assert_eq!(p.check(v), Ok(v), "sched {}", p.name);
    }
    assert!(s.t <= MAX_STEPS_LIMIT && s.max_steps <= MAX_STEPS_LIMIT);
    assert!((SPEED_RANGE.0..=SPEED_RANGE.1).contains(&s.speed));
    assert!(s.lrx >= LRX_RANGE.0 && s.lrx <= LRX_RANGE.1);
    assert!(s.clip.is_none_or(|c| c.is_finite() && c > 0.0));
    assert!(s.noise.is_finite() && s.noise >= 0.0);
}

#[test]
fn the_empty_query_is_the_default_preset() {
    let (s, notes) = decode("");
    assert!(notes.is_empty());
    assert_eq!(s, Scenario::default());
    assert_eq!(s.to_query(), "");
}

/// Old links must keep their meaning: fixed URLs and the states they give.
#[test]
fn reference_links_keep_their_meaning() {
    let (s, notes) = decode(
        "?l=rosenbrock&o=sgd,momentum,adam&s=-1.2,1&t=120&speed=4&lrx=0.5\
         &adam.lr=0.05&adam.beta2=0.95&sched=cosine_annealing_lr&sched.T_max=200\
         &clip=1&noise=0.3&seed=7&focus=adam&embed=1&hide=controls,loss&autoplay=1",
    );
    assert!(notes.is_empty(), "{notes:?}");
    use OptimizerKind::*;
    assert_eq!(s.landscape, Landscape::Rosenbrock);
    assert_eq!(s.enabled, vec![Sgd, Momentum, Adam]);
    assert_eq!(s.start, Vec2::new(-1.2, 1.0));
    assert_eq!((s.t, s.speed, s.lrx), (120, 4, 0.5));
    assert_eq!(s.hyper(Adam).get("lr"), 0.05);
    assert_eq!(s.hyper(Adam).get("beta2"), 0.95);
    assert_eq!(s.hyper(Adam).get("beta1"), 0.9);
    assert_eq!(s.schedule.kind(), ScheduleKind::CosineAnnealingLr);
    assert_eq!(s.schedule.get("T_max"), 200.0);
    assert_eq!(s.clip, Some(1.0));
    assert_eq!((s.noise, s.seed), (0.3, 7));
    assert_eq!(s.focus, Some(Adam));
    assert!(s.embed && s.autoplay);
    assert_eq!(s.hide, vec![Panel::Controls, Panel::Loss]);
    // Preset values for what the link does not say.
    assert_eq!(
        s.hyper(Sgd).get("lr"),
        Scenario::preset(Landscape::Rosenbrock).hyper(Sgd).get("lr")
    );
    // Booleans as the CLI spells them.
    let (m, notes) = decode("muon.nesterov=false&adamw.amsgrad=TRUE");
    assert!(notes.is_empty(), "{notes:?}");
    assert!(!m.hyper(Muon).flag("nesterov"));
    assert!(m.hyper(Adamw).flag("amsgrad"));
}

#[test]
fn encoding_writes_only_what_differs() {
    let mut s = Scenario::preset(Landscape::Ravine);
    s.hyper_mut(OptimizerKind::Adam).set("beta2", 0.95).unwrap();
    s.start = Vec2::new(-7.5, 1.0);
    s.set_enabled(OptimizerKind::Lion, false);
    let q = s.to_query();
    assert!(q.starts_with("l=ravine&o=sgd,"), "{q}");
    assert!(q.contains("&s=-7.5,1&"), "{q}");
    assert!(q.ends_with("adam.beta2=0.95"), "{q}");
    assert!(!q.contains("lion"), "{q}");
    assert_eq!(decode(&q), (s, vec![]));
}

#[test]
fn hostile_values_load_the_nearest_valid_state_with_notes() {
    let cases = [
        ("adam.lr=NaN", "adam.lr"),
        ("adam.lr=inf", "adam.lr"),
        ("adam.lr=-1", "adam.lr"),
        ("adam.eps=-1e-8", "adam.eps"),
        ("adam.beta1=1", "adam.beta1"),
        ("l=mars", "l="),
        ("o=sgd,<script>alert(1)</script>", "racer"),
        ("foo=bar", "ignored foo: unknown"),
        ("adam.foo=1", "adam.foo"),
        ("s=1e308,0", "s="),
        ("s=NaN,1", "s="),
        ("t=-3", "t="),
        ("t=1e300", "t="),
        ("speed=0", "speed"),
        ("lrx=0", "lrx"),
        ("lrx=1e308", "lrx"),
        ("sched=warp", "sched"),
        ("sched.T_max=5", "sched.T_max"),
        ("hide=<img src=x onerror=alert(1)>", "hide"),
        ("focus=javascript:alert(1)", "focus"),
        ("seed=-1", "seed"),
        ("clip=-2", "clip"),
        ("t=1&t=2", "more than once"),
    ];
    for (q, mentions) in cases {
        let (s, notes) = decode(q);
        assert_valid(&s);
        assert!(
            notes.iter().any(|n| n.contains(mentions)),
            "{q}: notes {notes:?} should mention {mentions}"
        );
    }
    let (s, _) = decode("adam.lr=1e308");
    assert_eq!(
        s.hyper(OptimizerKind::Adam).get("lr"),
        1e12,
        "nearest valid"
    );
    let (s, _) = decode("t=1&t=2");
    assert_eq!(s.t, 2);
    let (s, notes) = decode("adam.lr=1e6");
    assert!(notes.is_empty(), "a huge lr is valid: the racer diverges");
    assert_eq!(s.hyper(OptimizerKind::Adam).get("lr"), 1e6);
}

#[test]
fn notes_quote_input_shortened_and_without_control_characters() {
    let long = "x".repeat(500);
    let (_, notes) = decode(&format!("{long}=1&a%0Ab=2"));
    assert!(notes.iter().all(|n| n.chars().count() < 120), "{notes:?}");
    assert!(notes.iter().all(|n| !n.contains('\n')));
}

fn scenario() -> impl Strategy<Value = Scenario> {
    let kinds = proptest::sample::subsequence(OptimizerKind::ALL.to_vec(), 1..=14);
    let hyper_values = proptest::collection::vec(proptest::collection::vec(0.0f64..1.0, 8), 14);
    (
        proptest::sample::select(Landscape::ALL.to_vec()),
        kinds,
        (-1.0f64..1.0, -1.0f64..1.0),
        hyper_values,
        (0u64..5000, 10u64..100_000, 1u32..=100),
        (
            -3.0f64..3.0,
            proptest::sample::select(ScheduleKind::ALL.to_vec()),
            0.0f64..1.0,
        ),
        (
            proptest::option::of(0.01f64..10.0),
            0.0f64..3.0,
            any::<u64>(),
        ),
        (
            proptest::option::of(proptest::sample::select(OptimizerKind::ALL.to_vec())),
            any::<bool>(),
            proptest::sample::subsequence(Panel::ALL.to_vec(), 0..4),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                l,
                enabled,
                (sx, sy),
                hv,
                (t, max_steps, speed),
                (lrx_exp, sk, su),
                (clip, noise, seed),
                (focus, embed, hide, autoplay),
            )| {
                let mut s = Scenario::preset(l);
                s.enabled = enabled;
                let v = l.view();
                s.start = Vec2::new(
                    v.center().x + sx * v.width() / 2.0,
                    v.center().y + sy * v.height() / 2.0,
                );
                for (h, us) in s.hypers.iter_mut().zip(hv) {
                    let params: Vec<Param> = h.params().to_vec();
                    for (p, u) in params.iter().zip(us) {
                        let x = match p.kind {
                            crate::optim::ParamKind::Bool => (u < 0.5) as u8 as f64,
                            crate::optim::ParamKind::Int => {
                                (p.slider_min + (u * (p.slider_max - p.slider_min))).round()
                            }
                            crate::optim::ParamKind::Real if p.log => {
                                p.slider_min * (p.slider_max / p.slider_min).powf(u)
                            }
                            crate::optim::ParamKind::Real => {
                                p.slider_min + u * (p.slider_max - p.slider_min)
                            }
                        };
                        h.set(p.name, p.nearest_valid(x)).unwrap();
                    }
                }
                s.t = t;
                s.max_steps = max_steps;
                s.speed = speed;
                s.lrx = 10f64.powf(lrx_exp);
                s.schedule = Schedule::new(sk);
                let params: Vec<Param> = sk.params().to_vec();
                for p in params {
                    let x = p.nearest_valid(p.slider_min + su * (p.slider_max - p.slider_min));
                    s.schedule.set(p.name, x).unwrap();
                }
                s.clip = clip;
                s.noise = noise;
                s.seed = seed;
                s.focus = focus;
                s.embed = embed;
                s.hide = hide;
                s.autoplay = autoplay;
                s
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn decoding_any_string_never_panics_and_is_valid(q in ".{0,300}") {
        let (s, _) = decode(&q);
        assert_valid(&s);
    }

    #[test]
    fn decoding_key_value_soup_is_valid(
        pairs in proptest::collection::vec(
            (prop_oneof![
                Just("l".to_string()), Just("o".to_string()), Just("s".to_string()),
                Just("t".to_string()), Just("lrx".to_string()), Just("adam.lr".to_string()),
                Just("sched".to_string()), Just("sched.T_max".to_string()), Just("clip".to_string()),
                Just("hide".to_string()), Just("muon.ns_steps".to_string()), "[a-z.]{1,12}",
             ],
             prop_oneof![
                Just("NaN".to_string()), Just("-inf".to_string()), Just("1e308".to_string()),
                Just("-0".to_string()), Just("<img onerror=x>".to_string()), "[ -~]{0,20}",
                any::<f64>().prop_map(|x| x.to_string()),
             ]),
            0..12)
    ) {
        let q: String = pairs.iter().map(|(k, v)| format!("{k}={}&", v.replace('&', "%26"))).collect();
        let (s, _) = decode(&q);
        assert_valid(&s);
    }

    #[test]
    fn decode_of_encode_is_identity(s in scenario()) {
        let q = s.to_query();
        let (back, notes) = decode(&q);
        prop_assert!(notes.is_empty(), "{q}: {notes:?}");
        prop_assert_eq!(back, s);
    }
}
