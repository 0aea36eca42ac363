use super::*;

fn province() -> Class {
    let (text, _) = scenario_text("class-province").unwrap();
    Class::new(&text, None, None).unwrap()
}

fn share_all() -> Choice {
    Choice {
        platform: Some(PlatformChoice::Join),
        share: Some(true),
        transfer: false,
        standard: None,
        copy: None,
    }
}

#[test]
fn shipped_role_scenarios_load_with_10_to_30_and_31_roles() {
    let p = province();
    assert!(
        (10..=30).contains(&p.def.roles.len()),
        "{}",
        p.def.roles.len()
    );
    let (text, _) = scenario_text("class-china").unwrap();
    let table: toml::Table = toml::from_str(&text).unwrap();
    let sc = crate::scenario::from_str(&text, None).unwrap();
    let world = crate::world::World::build(&sc).unwrap();
    let def = ClassDef::parse(&table, &sc, &world).unwrap();
    assert_eq!(def.roles.len(), 31);
    assert!(def.roles.iter().all(|r| r.kind == RoleKind::Province));
}

#[test]
fn a_class_that_chooses_nothing_is_its_strategy_exactly() {
    let mut c = province();
    c.join(&c.saved.code.clone(), "Ann").unwrap();
    c.advance().unwrap();
    c.advance().unwrap();
    let s = c.def.strategy;
    let name = &c.ctx.scenario.strategies[s].name;
    for cmp in c.results.comparisons.iter().filter(|x| &x.strategy == name) {
        assert_eq!(cmp.diff, 0.0, "{}", cmp.metric);
        assert_eq!(cmp.verdict, "same");
    }
    // Negative control: against another strategy the class differs.
    assert!(
        c.results
            .comparisons
            .iter()
            .any(|x| &x.strategy != name && x.diff != 0.0)
    );
}

#[test]
fn choices_move_the_world_and_are_deterministic() {
    let play = || {
        let mut c = province();
        let code = c.saved.code.clone();
        for n in ["A", "B", "C", "D", "E"] {
            c.join(&code, n).unwrap();
        }
        // Everyone playing a city joins the province platform and shares.
        let roles: Vec<String> = c.saved.players.iter().map(|p| p.role.clone()).collect();
        for r in &roles {
            let ch = if r.starts_with('c') {
                share_all()
            } else if r.starts_with("line") {
                Choice {
                    standard: Some(StandardsMode::Provincial),
                    ..Choice::default()
                }
            } else {
                Choice {
                    share: Some(true),
                    ..Choice::default()
                }
            };
            c.choose(r, ch).unwrap();
        }
        c.advance().unwrap();
        c.advance().unwrap();
        c
    };
    let (a, b) = (play(), play());
    assert_eq!(a.results, b.results);
    let idle = {
        let mut c = province();
        c.advance().unwrap();
        c.advance().unwrap();
        c
    };
    assert_ne!(a.results.class_path, idle.results.class_path);
    // The sharing cities show up as sharers in the debrief.
    let c02 = a.results.roles.iter().find(|r| r.id == "c02").unwrap();
    assert_eq!((c02.rounds_shared, c02.rounds_played), (2, 2));
    let c10 = a.results.roles.iter().find(|r| r.id == "c10").unwrap();
    assert_eq!(
        (c10.rounds_shared, c10.rounds_played, c10.free_rider),
        (0, 0, false)
    );
}

#[test]
fn choices_are_checked_against_role_and_budget() {
    let mut c = province();
    // A city does not hold the standard lever.
    let e = c
        .choose(
            "c01",
            Choice {
                standard: Some(StandardsMode::National),
                ..Choice::default()
            },
        )
        .unwrap_err();
    assert!(e.to_string().contains("does not hold"), "{e}");
    // own platform 2 + share 1 + transfer 0 = 3 fits; the province has no platform lever.
    c.choose(
        "c01",
        Choice {
            platform: Some(PlatformChoice::Own),
            share: Some(true),
            transfer: true,
            standard: None,
            copy: None,
        },
    )
    .unwrap();
    assert!(c.choose("province", share_all()).is_err());
    assert!(c.choose("nobody", Choice::default()).is_err());
    // Over budget: own platform (2) + share (1) + transfer (1 here) = 4 > 3.
    c.def.params.costs.transfer = 1;
    let e = c
        .choose(
            "c01",
            Choice {
                platform: Some(PlatformChoice::Own),
                share: Some(true),
                transfer: true,
                standard: None,
                copy: None,
            },
        )
        .unwrap_err();
    assert!(e.to_string().contains("points"), "{e}");
}

#[test]
fn a_saved_session_resumes_to_the_same_results() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.json");
    let (text, _) = scenario_text("class-province").unwrap();
    let mut c = Class::new(&text, None, Some(path.clone())).unwrap();
    let code = c.saved.code.clone();
    let p = c.join(&code, "Li").unwrap();
    c.choose(
        &p.role,
        Choice {
            share: Some(true),
            ..Choice::default()
        },
    )
    .unwrap();
    c.advance().unwrap();
    c.save().unwrap();
    let mut back = Class::load(&path).unwrap();
    assert_eq!(back.saved.rounds, c.saved.rounds);
    assert_eq!(back.results, c.results);
    // Rejoining by name (any case) gives the same role and token.
    assert_eq!(back.join(&code, "li").unwrap(), p);
}

#[test]
fn roles_that_share_a_lever_of_a_unit_are_refused() {
    let (text, _) = scenario_text("class-province").unwrap();
    let text = text.replace(
        "levers = [\"platform\", \"share\", \"transfer\", \"copy\"]\n",
        "levers = [\"platform\", \"share\", \"transfer\", \"copy\", \"standard\"]\n",
    );
    let e = Class::new(&text, None, None).err().unwrap();
    assert!(
        e.to_string().contains("both hold the standard lever"),
        "{e}"
    );
}

#[test]
fn once_every_role_is_taken_students_play_in_teams() {
    let mut c = province();
    let code = c.saved.code.clone();
    let n = c.def.roles.len();
    for i in 0..=n {
        c.join(&code, &format!("s{i}")).unwrap();
    }
    let first = &c.def.roles[0].id.clone();
    assert_eq!(
        c.players_of(first).as_deref(),
        Some(format!("s0, s{n}").as_str())
    );
    // Either team member sets the role's choice; the role's budget still holds.
    c.choose(
        first,
        Choice {
            share: Some(true),
            ..Choice::default()
        },
    )
    .unwrap();
    c.advance().unwrap();
    assert_eq!(c.results.roles[0].rounds_played, 1);
}

#[test]
fn a_unit_that_shares_does_not_give_the_strategy_an_agency() {
    use crate::engine::plan::NEVER;
    use crate::mechanisms::coordination::Agency;
    let c = province();
    let base = &c.ctx.plans[c.def.strategy];
    assert_eq!(base.levers.coordination.agency, Agency::None);
    let mut round = BTreeMap::new();
    round.insert(
        "c01".to_string(),
        Choice {
            share: Some(true),
            ..Choice::default()
        },
    );
    let levers = unit_levers(&c.ctx, &c.def, &round);
    let p = base.with_units(&c.ctx.scenario, &c.ctx.compiled, &levers);
    // The lever still says what the strategy says: no agency.
    assert_eq!(p.levers.coordination.agency, Agency::None);
    assert_eq!(
        p.levers.coordination.agency_year,
        base.levers.coordination.agency_year
    );
    // The units that chose are covered from year 1; the others as before.
    let start = crate::engine::step::Clock::first_quarter(1.0);
    let ours = &c.def.roles[c.def.role_index("c01").unwrap()].units;
    for u in 0..c.ctx.compiled.n_units {
        let want = if ours.contains(&(u as u32)) {
            base.agency_from[u].min(start)
        } else {
            base.agency_from[u]
        };
        assert_eq!(p.agency_from[u], want, "unit {u}");
    }
    // Negative control: a chosen unit is covered where the strategy covered none.
    let u = ours[0] as usize;
    assert_eq!(base.agency_from[u], NEVER);
    assert_eq!(p.agency_from[u], start);
}

/// One run of the class-province world (replicate 0, the class strategy):
/// from year 2 on, every city and county copies from the next one in
/// layout order if `copy`. Returns (innovations adopted, of them copied,
/// mean collaboration of the cities and counties, total cost) at the end.
fn copy_run(extra: &str, copy: bool) -> (u32, u32, f64, f64) {
    let (text, _) = scenario_text("class-province").unwrap();
    let sc = crate::scenario::from_str(&format!("{text}\n{extra}"), None).unwrap();
    let ctx = Context::new(sc).unwrap();
    let c = &ctx.compiled;
    let base = ctx.plans[ctx.scenario.baseline_index()].clone();
    let elig = &c.diffusion.units;
    let mut levers = vec![UnitLevers::default(); c.n_units];
    for (e, &u) in elig.iter().enumerate() {
        levers[u as usize].copy = Some(elig[(e + 1) % elig.len()]);
    }
    let mut plans = vec![base.clone()];
    if copy {
        plans.push(base.with_units(&ctx.scenario, c, &levers));
    }
    let mut runner = crate::sim::Runner::new(&ctx);
    let q = ctx.quarters();
    let mut out = (0, 0, 0.0, 0.0);
    runner.run_schedule(&ctx, &plans, 0, q, |t, _, view| {
        if t == q {
            let d = &view.state.diffusion;
            out = (
                d.adopted_total.iter().sum(),
                d.copied_total.iter().sum(),
                elig.iter().map(|&u| view.collab(u as usize)).sum::<f64>() / elig.len() as f64,
                view.state.cost.iter().sum(),
            );
        }
    });
    out
}

#[test]
fn copying_a_neighbours_innovation_raises_adoption_and_collaboration() {
    let (a0, k0, collab0, cost0) = copy_run("", false);
    let (a1, k1, collab1, cost1) = copy_run("", true);
    assert_eq!(k0, 0, "nobody copies without the lever");
    assert!(k1 > 0, "copies happened");
    assert!(a1 > a0, "adoption {a1} vs {a0}");
    assert!(collab1 > collab0, "collab {collab1} vs {collab0}");
    assert!(cost1 > cost0, "copies cost {cost1} vs {cost0}");
    // Negative control: with no effect per innovation the copies still
    // happen (and cost) but the collaboration they feed does not move.
    let (b0, _, flat0, _) = copy_run("[diffusion]\neffect = 0.0\n", false);
    let (b1, j1, flat1, _) = copy_run("[diffusion]\neffect = 0.0\n", true);
    assert!(j1 > 0 && b1 > b0);
    assert_eq!(flat1, flat0);
    // A copy reaches collaboration two ways: its own fit to the copier
    // (`copy_fit`) and the imitation it adds for the copier's neighbours.
    // Without imitation, a copy that does not fit brings nothing; one
    // that fits does.
    let still = "imitation = 0.0\npeer_imitation = 0.0\ndistant_imitation = 0.0\n";
    let unfit = format!("[diffusion]\ncopy_fit = 0.0\n{still}");
    let (_, _, fit0, _) = copy_run(&unfit, false);
    let (_, k, fit1, _) = copy_run(&unfit, true);
    assert!(k > 0);
    assert_eq!(fit1, fit0);
    let fitting = format!("[diffusion]\ncopy_fit = 1.0\n{still}");
    let (_, _, fit2, _) = copy_run(&fitting, true);
    assert!(fit2 > fit0, "{fit2} vs {fit0}");
}

#[test]
fn a_copy_choice_pairs_the_roles_cities_and_counties() {
    let mut c = province();
    let code = c.saved.code.clone();
    c.join(&code, "Ann").unwrap();
    let round: BTreeMap<String, Choice> = [(
        "c01".to_string(),
        Choice {
            copy: Some("c02".into()),
            ..Choice::default()
        },
    )]
    .into();
    let levers = unit_levers(&c.ctx, &c.def, &round);
    let (r1, r2) = (
        &c.def.roles[c.def.role_index("c01").unwrap()],
        &c.def.roles[c.def.role_index("c02").unwrap()],
    );
    // A city and its counties (their number is drawn with the world).
    let w = &c.ctx.world;
    let city = w.find_unit("c01").unwrap();
    let counties = (0..w.units.len())
        .filter(|&u| w.units[u].parent == city && w.units[u].level == crate::catalog::Level::County)
        .count();
    assert!(counties >= 1);
    assert_eq!(r1.copy_units.len(), 1 + counties, "a city and its counties");
    assert!(!r2.copy_units.is_empty());
    let (i1, i2) = (
        c.def.role_index("c01").unwrap(),
        c.def.role_index("c02").unwrap(),
    );
    for (a, b) in super::copy_pairs(&c.def, i1, i2) {
        assert!(r2.copy_units.contains(&b));
        assert_eq!(levers[a as usize].copy, Some(b));
        assert_eq!(w.units[a as usize].level, w.units[b as usize].level);
    }
    let others = levers.iter().filter(|l| l.copy.is_some()).count();
    assert_eq!(
        others,
        r1.copy_units.len(),
        "townships and other roles copy nothing"
    );
}

#[test]
fn copy_choices_are_checked() {
    let mut c = province();
    let code = c.saved.code.clone();
    for n in ["A", "B", "C", "D", "E"] {
        c.join(&code, n).unwrap();
    }
    let copy = |from: &str| Choice {
        copy: Some(from.into()),
        ..Choice::default()
    };
    let err = |c: &mut Class, role: &str, ch: Choice| c.choose(role, ch).unwrap_err().to_string();
    assert!(err(&mut c, "c01", copy("c01")).contains("itself"));
    assert!(err(&mut c, "c01", copy("c99")).contains("no role `c99`"));
    assert!(err(&mut c, "c01", copy("province")).contains("governs no city or county"));
    assert!(err(&mut c, "c01", copy("line-north")).contains("has no innovation to copy"));
    // The lines and the province do not hold the lever.
    assert!(err(&mut c, "province", copy("c01")).contains("does not hold the copy lever"));
    // Before any round nobody has an innovation to copy.
    assert!(err(&mut c, "c01", copy("c02")).contains("no innovation"));
    // Play until some role has one; copying it then works and shows in the debrief.
    let mut found = None;
    for _ in 0..c.years() - 1 {
        c.advance().unwrap();
        let r = c.def.role_index("c01").unwrap();
        if let Some(&(s, n)) = c.results.roles[r].copy_options.first() {
            found = Some((c.def.roles[s].id.clone(), n));
            break;
        }
    }
    let (from, n) = found.expect("some city has an innovation c01 lacks");
    assert!(n > 0);
    // Over budget: own platform (2) + share (1) + copy (1) = 4 > 3.
    let e = err(
        &mut c,
        "c01",
        Choice {
            platform: Some(PlatformChoice::Own),
            share: Some(true),
            copy: Some(from.clone()),
            ..Choice::default()
        },
    );
    assert!(e.contains("points"), "{e}");
    c.choose("c01", copy(&from)).unwrap();
    let before = c.results.roles[c.def.role_index("c01").unwrap()].clone();
    c.advance().unwrap();
    let after = &c.results.roles[c.def.role_index("c01").unwrap()];
    assert!(
        after.copied > before.copied,
        "{} vs {}",
        after.copied,
        before.copied
    );
    assert_eq!(after.points_spent, before.points_spent + 1);
    let csv = String::from_utf8(export::choices_csv(&c)).unwrap();
    assert!(csv.lines().next().unwrap().contains(",copy,"));
    assert!(csv.contains(&format!(",{from},1,")), "{csv}");
}
