package com.pyerp.deployaction.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stack's state at one poll, from {@link SwarmCommands#status}: each service's update state, spec image and
 * replicas, and its running tasks. {@link #verdict} says whether the release has converged, is still rolling, or
 * failed (Swarm paused or rolled the update back).
 */
record SwarmStatus(List<Service> services) {

    record Task(String name, String image, String node, String state) {
        boolean running() {
            return state.startsWith("Running");
        }
    }

    /** {@code updateState} is {@code none} for a service no update has touched since it was created. */
    record Service(String name, int running, int desired, String updateState, String image, String message,
            List<Task> tasks) {}

    enum Progress {
        CONVERGED, ROLLING, FAILED
    }

    /** {@code problem} names the service and Swarm's message when {@code progress} is FAILED. */
    record Verdict(Progress progress, String problem) {}

    static SwarmStatus parse(String output) {
        Map<String, String[]> replicas = new LinkedHashMap<>();
        Map<String, String[]> updates = new LinkedHashMap<>();
        Map<String, List<Task>> tasks = new LinkedHashMap<>();
        for (String line : output.strip().lines().toList()) {
            String[] fields = line.strip().split(" ", 5);
            switch (fields[0]) {
                case "replicas" -> replicas.put(fields[1], fields[2].split("/"));
                case "update" -> updates.put(fields[1], fields);
                case "task" -> {
                    String name = fields[1];
                    // Task names are SERVICE.SLOT (replicated) or SERVICE.NODEID (global).
                    String service = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
                    tasks.computeIfAbsent(service, k -> new ArrayList<>())
                            .add(new Task(name, fields[2], fields[3], fields.length > 4 ? fields[4] : ""));
                }
                default -> {
                }
            }
        }
        List<Service> services = new ArrayList<>();
        for (Map.Entry<String, String[]> entry : updates.entrySet()) {
            String[] fields = entry.getValue();
            String[] counts = replicas.getOrDefault(entry.getKey(), new String[] {"0", "0"});
            services.add(new Service(entry.getKey(), number(counts[0]), number(counts.length > 1 ? counts[1] : "0"),
                    fields[2], fields[3], fields.length > 4 ? fields[4] : "", List.copyOf(tasks.getOrDefault(entry.getKey(),
                            List.of()))));
        }
        return new SwarmStatus(List.copyOf(services));
    }

    private static int number(String text) {
        String digits = text.replaceAll("[^0-9].*", "");
        return digits.isEmpty() ? 0 : Integer.parseInt(digits);
    }

    /**
     * Converged when every service runs all its replicas, none is updating, and each of {@code appServices} runs
     * {@code image}'s digest in its spec and in all its running tasks.
     */
    Verdict verdict(List<String> appServices, String image) {
        String digest = ImageReference.parse(image).digest();
        boolean rolling = false;
        for (Service service : services) {
            boolean app = appServices.contains(service.name());
            boolean other = app && !digest.equals(ImageReference.parse(service.image()).digest());
            String why = service.message().isEmpty() ? "" : ": " + service.message();
            switch (service.updateState()) {
                case "paused", "rollback_paused" -> {
                    return new Verdict(Progress.FAILED, "Swarm paused the update of " + service.name() + why);
                }
                case "rollback_started", "rollback_completed" -> {
                    if (other) {
                        return new Verdict(Progress.FAILED, "Swarm rolled " + service.name() + " back" + why);
                    }
                }
                default -> {
                }
            }
            if (other) {
                return new Verdict(Progress.FAILED, service.name() + " runs " + service.image() + ", not " + image
                        + ": another deploy changed it");
            }
            long current = service.tasks().stream().filter(task -> task.running()
                    && (!app || digest.equals(ImageReference.parse(task.image()).digest()))).count();
            rolling |= service.updateState().equals("updating") || service.updateState().equals("rollback_started")
                    || service.running() < service.desired() || current < service.desired();
        }
        return new Verdict(services.isEmpty() || rolling ? Progress.ROLLING : Progress.CONVERGED, null);
    }

    /** One line for the log: each service's running/desired replicas and update state. */
    String progress() {
        List<String> parts = new ArrayList<>();
        for (Service service : services) {
            parts.add(service.name() + " " + service.running() + "/" + service.desired()
                    + (service.updateState().equals("none") ? "" : " " + service.updateState()));
        }
        return parts.isEmpty() ? "no service of the stack yet" : String.join(", ", parts);
    }
}
