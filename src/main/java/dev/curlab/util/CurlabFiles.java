package dev.curlab.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which files in a run or comparison directory curlab wrote, so that replacing a run ({@code
 * --overwrite}, a rerun of {@code demo}) deletes only those and keeps what a user left there
 * ({@code notes.txt}), saying which.
 */
public final class CurlabFiles {
    /** Files curlab writes in run and grid directories. */
    static final Set<String> FILES = Set.of("config.json", "config.json.tmp", "metrics.jsonl", "train.log", "report.html", ".lock",
            "compare.json", "summary.md", "summary.csv", "table.md", "downstream.csv", "stats.md", "stats.csv", "runs.csv",
            "machine.json", "task-curves.csv");
    /** The TensorBoard event files of a run ({@code events.out.tfevents.<time>.<host>}). */
    static final String EVENTS = "events.out.tfevents.";
    /** Directories whose whole content curlab writes. */
    static final Set<String> DIRS = Set.of("checkpoints", "figures", "cells", "il-models");

    private CurlabFiles() {
    }

    /** True when the file at {@code relative} (to a run or grid directory) is one curlab writes. */
    public static boolean written(Path relative) {
        for (Path part : relative) {
            if (DIRS.contains(part.toString())) {
                return true;
            }
        }
        String name = relative.getFileName().toString();
        return FILES.contains(name) || name.startsWith(".tmp-") || name.startsWith(EVENTS);
    }

    /** The regular files below {@code dir} that curlab did not write, relative to it, sorted. */
    public static List<Path> others(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(dir::relativize).filter(r -> !written(r)).sorted().toList();
        }
    }

    /**
     * Deletes what curlab wrote below {@code dir} (and folders left empty); returns what it kept. A run
     * directory that holds a kept file keeps its config.json, so that it stays a run that the next
     * {@code --overwrite} replaces (moving the kept file into the new run) rather than a foreign folder.
     */
    public static List<Path> deleteWritten(Path dir) throws IOException {
        List<Path> kept = others(dir);
        if (kept.isEmpty()) {
            Directories.deleteRecursively(dir);
            return kept;
        }
        List<Path> spared = new ArrayList<>();
        for (Path r : kept) {
            for (Path parent = r.getParent(); parent != null; parent = parent.getParent()) {
                if (Files.isRegularFile(dir.resolve(parent.toString()).resolve("config.json"))) {
                    spared.add(parent.resolve("config.json"));
                }
            }
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Path r = dir.relativize(p);
                if (p.equals(dir)) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    try (Stream<Path> inside = Files.list(p)) {
                        if (inside.findAny().isEmpty()) {
                            Files.delete(p);
                        }
                    }
                } else if (!kept.contains(r) && !spared.contains(r)) {
                    Files.delete(p);
                }
            }
        }
        return kept;
    }

    /** Moves the files curlab did not write from {@code from} to the same places under {@code to}; returns them. */
    public static List<Path> moveOthers(Path from, Path to) throws IOException {
        List<Path> moved = new ArrayList<>();
        for (Path r : others(from)) {
            Path target = to.resolve(r.toString());
            if (!Files.exists(target)) {
                Files.createDirectories(target.getParent());
                Files.move(from.resolve(r.toString()), target);
                moved.add(r);
            }
        }
        return moved;
    }

    /** "notes.txt, NOTES.md" (at most five, then how many more). */
    public static String list(List<Path> files) {
        List<String> names = files.stream().limit(5).map(Path::toString).toList();
        return String.join(", ", names) + (files.size() > 5 ? " and " + (files.size() - 5) + " more" : "");
    }
}
