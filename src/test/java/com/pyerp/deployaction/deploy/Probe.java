package com.pyerp.deployaction.deploy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Asks the app for /health every 250 ms in the background, to see what users saw during a deploy. */
final class Probe {

    record Answer(long millis, String body) {}

    private final List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private volatile boolean running = true;

    private Probe(DeployFixture app) {
        thread = new Thread(() -> {
            while (running) {
                answers.add(new Answer(System.currentTimeMillis(), app.probe()));
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "probe");
    }

    static Probe start(DeployFixture app) {
        Probe probe = new Probe(app);
        probe.thread.start();
        return probe;
    }

    List<Answer> stop() throws InterruptedException {
        running = false;
        thread.join();
        synchronized (answers) {
            return List.copyOf(answers);
        }
    }

    /** The longest stretch between two answers of the old version ("v1") with something else in between. */
    static long longestGapMillis(List<Answer> answers) {
        long longest = 0;
        Long lastGood = null;
        for (Answer answer : answers) {
            if (answer.body().equals("v1")) {
                if (lastGood != null) {
                    longest = Math.max(longest, answer.millis() - lastGood);
                }
                lastGood = answer.millis();
            }
        }
        return longest;
    }
}
