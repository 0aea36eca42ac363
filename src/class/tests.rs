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
        "levers = [\"platform\", \"share\", \"transfer\"]\n",
        "levers = [\"platform\", \"share\", \"transfer\", \"standard\"]\n",
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
