package dev.gatekeeper.demo.logic

import dev.gatekeeper.Gatekeeper
import dev.gatekeeper.GatekeeperException
import dev.gatekeeper.LogEntry
import java.time.ZoneId
import java.time.format.DateTimeFormatter

/**
 * The screen that shows the decision log (contract §6): one line per logged decision — a row
 * is written whenever a subject's verdict, reason or policy version changes, and repeats only
 * count — newest first, so a user or a tester can see what was allowed, when, and why.
 */
class DecisionLogScreen(private val gatekeeper: Gatekeeper) {

    /** The log rows, newest first. An unreadable store shows no rows (and [lines] says so). */
    fun rows(): List<LogEntry> = try {
        gatekeeper.log().sortedByDescending { it.id }
    } catch (e: GatekeeperException) {
        emptyList()
    }

    /**
     * One text line per row: `2026-01-01 00:00  sdk:facebook  ask separate_consent_required  ×3`
     * (first seen, subject, verdict and reason, times seen).
     */
    fun lines(zone: ZoneId = ZoneId.systemDefault()): List<String> {
        val rows = rows()
        if (rows.isEmpty()) return listOf("No decisions logged yet.")
        return rows.map { r ->
            val at = TIME.format(r.firstSeen.atZone(zone))
            val count = if (r.count > 1) "  ×${r.count}" else ""
            "$at  ${r.subject}  ${r.verdict.name.lowercase()} ${r.reason.name.lowercase()}$count"
        }
    }

    private companion object {
        val TIME: DateTimeFormatter = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
    }
}
