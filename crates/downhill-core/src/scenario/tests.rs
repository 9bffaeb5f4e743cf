use super::*;
use crate::scene::Scene;
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
    assert!(s.batch <= regression::N);
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

/// Scene links: the scene first, the other keys override it, `l` switches its
/// landscape, and a copied link writes only what differs from the scene.
#[test]
fn scene_links_apply_the_scene_then_the_overrides() {
    use OptimizerKind::*;
    let saddle = Scene::SaddleEscape.scenario();
    /// (link, how it changes the scene's scenario, the link written back)
    type Case<'a> = (&'a str, &'a dyn Fn(&mut Scenario), &'a str);
    let cases: &[Case] = &[
        ("scene=saddle-escape", &|_| {}, "scene=saddle-escape"),
        (
            "?scene=saddle-escape&adam.lr=0.1",
            &|s| s.hyper_mut(Adam).set("lr", 0.1).unwrap(),
            "scene=saddle-escape&adam.lr=0.1",
        ),
        (
            "adam.lr=0.1&scene=saddle-escape",
            &|s| s.hyper_mut(Adam).set("lr", 0.1).unwrap(),
            "scene=saddle-escape&adam.lr=0.1",
        ),
        (
            "scene=saddle-escape&l=saddle",
            &|_| {},
            "scene=saddle-escape",
        ),
        (
            "scene=saddle-escape&o=sgd,adam&t=40&hide=&focus=adam",
            &|s| {
                s.enabled = vec![Sgd, Adam];
                s.t = 40;
                s.hide = vec![];
                s.focus = Some(Adam);
            },
            "scene=saddle-escape&o=sgd,adam&t=40&focus=adam&hide=",
        ),
    ];
    for (q, change, back) in cases {
        let (s, notes) = decode(q);
        assert!(notes.is_empty(), "{q}: {notes:?}");
        let mut want = saddle.clone();
        change(&mut want);
        assert_eq!(s, want, "{q}");
        assert_eq!(s.to_query(), *back, "{q}");
    }
    // `l` with a scene: that landscape's preset start and rates, the scene's
    // racers, panels and settings otherwise.
    for q in [
        "scene=ravine-zigzag&l=rotated_ravine",
        "l=rotated_ravine&scene=ravine-zigzag",
    ] {
        let (s, notes) = decode(q);
        assert!(notes.is_empty(), "{notes:?}");
        let scene = Scene::RavineZigzag.scenario();
        assert_eq!(s.landscape, Landscape::RotatedRavine);
        assert_eq!(s.enabled, scene.enabled);
        assert_eq!(s.hide, scene.hide);
        assert_eq!(s.scene, Some(Scene::RavineZigzag));
        assert_eq!(s.start, Landscape::RotatedRavine.start());
        assert_eq!(s.to_query(), "scene=ravine-zigzag&l=rotated_ravine");
    }
    // A scene's settings can be turned off again.
    let (s, notes) = decode("scene=schedules&sched=constant&batch=0&focus=&seed=0");
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(s.schedule, Schedule::default());
    assert_eq!((s.batch, s.seed, s.focus), (0, 0, None));
    assert_eq!(decode(&s.to_query()), (s, vec![]));
    let (s, _) = decode("scene=schedules&sched.T_max=500");
    assert_eq!(s.schedule.kind(), ScheduleKind::WarmupCosine);
    assert_eq!(s.schedule.get("T_max"), 500.0);
    assert_eq!(s.schedule.get("warmup_iters"), 50.0, "the scene's, kept");
    assert_eq!(s.to_query(), "scene=schedules&sched.T_max=500");
    // An unknown scene: a note naming the known ones, the state as without it.
    let (s, notes) = decode("scene=nope&l=ravine");
    assert_eq!(s, Scenario::preset(Landscape::Ravine));
    assert!(
        notes
            .iter()
            .any(|n| n.contains("nope") && n.contains("saddle-escape")),
        "{notes:?}"
    );
    // An empty scene is no scene, as before.
    assert_eq!(decode("scene="), (Scenario::default(), vec![]));
}

#[test]
fn batch_and_gallery_keys() {
    let (s, notes) = decode("l=regression&batch=32&seed=4");
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!((s.batch, s.seed), (32, 4));
    assert!(s.race_config().uses_batches());
    assert_eq!(s.to_query(), "l=regression&seed=4&batch=32");
    // Elsewhere it is kept but does nothing.
    let (s, notes) = decode("l=bowl&batch=32");
    assert!(notes.is_empty());
    assert_eq!(s.batch, 32);
    assert!(!s.race_config().uses_batches());
    let (s, notes) = decode("l=regression&batch=100000");
    assert_eq!(s.batch, regression::N);
    assert!(notes.iter().any(|n| n.contains("batch")), "{notes:?}");
    let (s, notes) = decode("batch=-3&batch=x");
    assert_eq!(s.batch, 0);
    assert!(notes.iter().any(|n| n.contains("batch")), "{notes:?}");
    let (s, notes) = decode("gallery=1");
    assert!(notes.is_empty() && s.gallery);
    assert_eq!(s.to_query(), "gallery=1");
}

#[test]
fn lens_keys() {
    let (s, notes) = decode("arrows=0&ghost=1&field=1");
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(
        s.lens,
        Lens {
            arrows: false,
            ghost: true,
            field: true
        }
    );
    assert_eq!(s.to_query(), "arrows=0&ghost=1&field=1");
    assert_eq!(decode("").0.lens, Lens::default());
    // The bias-correction scene shows its ghost; a link can turn it off.
    let (s, _) = decode("scene=bias-correction");
    assert!(s.lens.ghost);
    let (s, _) = decode("scene=bias-correction&ghost=0");
    assert!(!s.lens.ghost);
    assert_eq!(s.to_query(), "scene=bias-correction&ghost=0");
    let (_, notes) = decode("field=maybe");
    assert!(notes.iter().any(|n| n.contains("field")), "{notes:?}");
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
        (
            "lr=0.1",
            "ignored lr: unknown setting; lr belongs to a racer, as in sgd.lr (lrx scales",
        ),
        (
            "beta1=0.8",
            "ignored beta1: unknown setting; beta1 belongs to a racer, as in adam.beta1",
        ),
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
        ("scene=<script>", "scene"),
        ("scene=saddle-escape&adam.lr=NaN", "adam.lr"),
        ("batch=1e300", "batch"),
        ("gallery=maybe", "gallery"),
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
        (
            proptest::option::of(proptest::sample::select(Scene::ALL.to_vec())),
            prop_oneof![Just(0usize), 1usize..=regression::N],
            any::<bool>(),
            any::<(bool, bool, bool)>(),
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
                (scene, batch, gallery, lens),
            )| {
                // From a scene (moved to l) or from l's preset; then every
                // value is drawn, so some equal the base and some do not.
                let mut s = match scene {
                    Some(sc) => sc.scenario().with_landscape(l),
                    None => Scenario::preset(l),
                };
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
                s.batch = batch;
                s.gallery = gallery;
                (s.lens.arrows, s.lens.ghost, s.lens.field) = lens;
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
                Just("scene".to_string()), Just("batch".to_string()), Just("gallery".to_string()),
                Just("ghost".to_string()), Just("field".to_string()), Just("arrows".to_string()),
                Just("focus".to_string()),
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
