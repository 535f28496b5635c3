//! Sentences that hold each stance rule, and the attacks two reviewers wrote against them.

use super::super::misconceptions::{FlagKeys, asserted};
use crate::knowledge::RedFlag;

fn flag(phrase: &str) -> FlagKeys {
    FlagKeys::new(&RedFlag {
        claim: "A claim too short to match in its own words".to_owned(),
        cancels: None,
        phrases: vec![phrase.to_owned()],
    })
}

/// The ways English marks a claim as not the speaker's: each sentence names the misconception to reject it.
#[test]
fn a_claim_named_to_reject_it_is_not_asserted() {
    let zone = flag("one az is enough");
    for rejecting in [
        "The classic mistake is thinking one AZ is enough.",
        "A common mix-up is assuming one AZ is enough.",
        "It's wrong to assume one AZ is enough.",
        "It's too simple to say one AZ is enough.",
        "I sometimes hear that one AZ is enough.",
        "People often say one AZ is enough.",
        "Anyone who tells you one AZ is enough has not lived through a zone outage.",
        "I'd push back on the belief that one AZ is enough.",
        "I used to think one AZ is enough.",
        "My first instinct was that one AZ is enough, until a zone failed.",
        "A common pitfall: one AZ is enough, people think.",
    ] {
        assert!(asserted(&zone, rejecting).is_none(), "{rejecting}");
    }
    let key_file = flag("mount a key file");
    for rejecting in [
        "Mounting a key file into pods is the old way, and risky.",
        "Mounting a key file per pod is a mistake.",
        "Mounting a key file into every pod will bite you.",
        "Mounting a key file gives you a false sense of security.",
        "Workload identity is the fix, but mounting a key file per pod is a bug waiting to happen.",
        "I'd push back on mounting a key file for each pod.",
        "I'd avoid giving each pod a way to mount a key file.",
        "We mount a key file into each pod, which is a mistake we are fixing.",
        "Some teams would have mounted a key file into each pod.",
        "I used to mount a key file into each pod.",
        "A service that needs to mount a key file might look simple, but the key leaks.",
    ] {
        assert!(asserted(&key_file, rejecting).is_none(), "{rejecting}");
    }
    let denied = flag("replica is promoted automatically");
    assert!(
        asserted(
            &denied,
            "Is the replica promoted automatically? No, you promote it yourself."
        )
        .is_none()
    );
}

/// A rejecting word in one clause must not hide the claim asserted in the next, nor a judgement that is the
/// claim's own words, a purpose, or negated: how a candidate who knows the rules would try to slip one past.
#[test]
fn rejecting_words_do_not_hide_a_claim_asserted_beside_them() {
    let key_file = flag("mount a key file");
    for asserting in [
        "The mistake is overthinking it, just mount a key file into each pod.",
        "People say key files are risky, but mount a key file and move on.",
        "It's a myth that you need federation, so mount a key file into each pod.",
        "To avoid extra setup, mount a key file into each pod.",
        "Mounting a key file is never a mistake.",
        "Mounting a key file is enough to avoid outages.",
        "We mount a key file into each pod, and it's not a problem.",
        "We mount a key file into each pod, and that is not wrong.",
        "We mount a key file into each pod, but it isn't ideal.",
        "We mount a key file into each pod and said it wasn't worth the fix.",
        "I'd have the platform team mount a key file into each pod.",
        "No, mount a key file into each pod.",
        "My biggest mistake is that I mount a key file too late.",
        "We would have been fine if we mount a key file into each pod.",
    ] {
        assert!(asserted(&key_file, asserting).is_some(), "{asserting}");
    }
    let unnecessary = flag("caching is unnecessary");
    assert!(
        asserted(
            &unnecessary,
            "Caching is unnecessary here, the database is fast."
        )
        .is_some()
    );
    let slip = flag("the day before launch");
    assert!(
        asserted(
            &slip,
            "We only told them the date would slip on the day before launch."
        )
        .is_some()
    );
}

/// Sentences a reviewer who had read these rules wrote to defeat them (2026-12-07): stock phrases a gaming
/// candidate could wrap any wrong claim in, and frames experts use. Each is held to its honest reading. Three of
/// the reviewer's expert frames are still read as asserting the claim and are left out here: a contrast after it
/// ("…enough for a demo, not for production", "…until it isn't") and a consequence as its judgement ("Thinking
/// one AZ is enough is how outages happen").
#[test]
fn a_reviewers_attacks_are_read_for_what_they_say() {
    let zone = flag("one az is enough");
    let key_file = flag("mount a key file");
    let keys = |text: &str| {
        if text.to_lowercase().contains("key file") {
            &key_file
        } else {
            &zone
        }
    };
    for asserting in [
        "My instinct says one AZ is enough.",
        "Make no mistake: one AZ is enough.",
        "As I was saying one AZ is enough.",
        "I often say one AZ is enough.",
        "They say one AZ is enough and they're right.",
        "I can't stress enough that one AZ is enough.",
        "One AZ is enough, which I can't stress enough.",
        "We never had a zone outage so one AZ is enough.",
        "You don't need federation so mount a key file into each pod.",
        "Without a doubt one AZ is enough.",
        "One AZ, no joke, is enough.",
        "As you might have guessed one AZ is enough here.",
        "The init container is used to mount a key file into each pod.",
        "I like the idea that one AZ is enough.",
        "One AZ is enough to avoid any mistake.",
        "Mount a key file into each pod, it's risk-free.",
        "One AZ is enough, which is why we avoid multi-AZ.",
        "Mounting a key file per pod is the least risky option.",
        "Mounting a key file might sound old-school but it works fine.",
        "Deploying into one AZ is enough and the rest is overkill.",
        "Instead of paying for three zones one AZ is enough.",
        "To avoid overengineering just mount a key file into each pod.",
        "The easiest way to avoid mistakes is to mount a key file into each pod.",
        "Would I say one AZ is enough? No, I'd say it's plenty.",
        "One way we avoid mistakes is spot instances. Another is that one AZ is enough.",
    ] {
        assert!(
            asserted(keys(asserting), asserting).is_some(),
            "{asserting}"
        );
    }
    for rejecting in [
        "Please don't, under any circumstances, mount a key file into a pod.",
        "People often assume, wrongly, that one AZ is enough.",
        "I doubt one AZ is enough.",
        "One AZ is rarely enough for production.",
        "If you think one AZ is enough, look at the last us-east-1 outage.",
        "A junior engineer might think one AZ is enough.",
        "Nobody serious thinks one AZ is enough.",
        "It's tempting to just mount a key file, but the key will leak.",
        "The worst option is to mount a key file into every pod.",
        "Google explicitly discourages mounting a key file.",
        "Does that mean one AZ is enough? Not at all.",
        "The riskiest assumption here is that one AZ is enough.",
    ] {
        assert!(
            asserted(keys(rejecting), rejecting).is_none(),
            "{rejecting}"
        );
    }
}

/// A second reviewer's attacks on the rules as they stood after the first (2026-12-07). Three of their expert
/// frames are still read as asserting and are left out: "Prefer Workload Identity over mounting a key file", "I've
/// seen teams mount a key file into each pod, and it always ends badly", "If you mount a key file into each pod,
/// you're one leak away from a breach" (a preference, someone else's practice judged by its outcome, a warning
/// conditional).
#[test]
fn a_second_reviewers_attacks_are_read_for_what_they_say() {
    let zone = flag("one az is enough");
    let key_file = flag("mount a key file");
    let keys = |text: &str| {
        if text.to_lowercase().contains("key file") {
            &key_file
        } else {
            &zone
        }
    };
    let mut misread = Vec::new();
    for asserting in [
        "I won't sugarcoat it, honestly, one AZ is enough.",
        "It's cheaper and simpler, not to mention one AZ is enough for our SLA.",
        "In most cases, if not all, one AZ is enough.",
        "We've never lost a zone and one AZ is enough.",
        "There's no denying one AZ is enough.",
        "Most importantly, I think one AZ is enough.",
        "The common mistake is paying for three zones when one AZ is enough.",
        "Let me clear up the confusion: one AZ is enough.",
        "I hold the belief that one AZ is enough.",
        "My instinct is that one AZ is enough.",
        "Many people say one AZ is enough and I agree with them.",
        "Even at our worst peak one AZ is enough.",
        "Mounting a key file into each pod removes the risk.",
        "Mounting a key file might look basic but it works.",
        "One AZ is enough, which keeps the risk low.",
        "We're used to mounting a key file into every pod and it works.",
        "Going multi-AZ would have doubled the bill when one AZ is enough.",
        "It's easiest to mount a key file, but rotate it quarterly.",
        "One AZ is enough, right? No-brainer.",
        "Stop overthinking and mount a key file into each pod.",
    ] {
        if asserted(keys(asserting), asserting).is_none() {
            misread.push(format!("escapes: {asserting}"));
        }
    }
    for rejecting in [
        "You'd think one AZ is enough, but it isn't.",
        "One AZ is enough? Not in production.",
        "Mount a key file? Please don't.",
        "Mounting a key file is a terrible idea.",
        "Believing one AZ is enough is risky.",
        "We stopped mounting a key file into pods.",
        "Some teams say one AZ is enough, and that holds right up until a zone fails.",
    ] {
        if asserted(keys(rejecting), rejecting).is_some() {
            misread.push(format!("false alarm: {rejecting}"));
        }
    }
    assert!(misread.is_empty(), "{}", misread.join("\n"));
}
