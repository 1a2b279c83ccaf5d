"""Speed and memory of the model, for docs/performance.md.

Measures, on one core (BLAS threads pinned to 1):
1. N = 10,000 residents, 520 weekly ticks: wall time per ten-year run (median of --repeats), from a
   warm start (the settled state after the burn-in restored, as every model after the first with
   the same parameters and seed gets it) and cold (set-up plus the twenty-year burn-in).
2. N = 100,000, 520 ticks: wall time and peak resident memory (each run in a fresh process).
3. Throughput in resident-weeks per second of buurtsim's full model against a minimal idiomatic
   Mesa model at N = 10,000 (every resident a FixedAgent on a `discrete_space.Network` cell whose
   step() averages its network neighbours' values, as in Mesa's virus_on_network example,
   activated by `model.agents.shuffle_do("step")`), measured alternately in the same script so
   that machine load hits both alike; and against the "dict-graph" model of issue 16 (every
   resident a `mesa.Agent` whose step() averages neighbours read straight from a networkx graph,
   then advance(); `shuffle_do("step")`, `do("advance")`), and hand-made neighbour lists.

Usage: python benchmarks/bench_model.py [--repeats 5] [--skip-large] [--json out.json]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import mesa  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
from bench_scale import run_size  # noqa: E402
from mesa.discrete_space import FixedAgent, Network  # noqa: E402

TICKS = 520


class AveragingAgent(FixedAgent):
    """The obvious per-agent alternative, written like Mesa's own virus_on_network example: each
    agent sits on a cell of a `discrete_space.Network` and reads its neighbours through the cell."""

    def __init__(self, model: mesa.Model, value: float, cell: object) -> None:
        super().__init__(model)
        self.value = value
        self.cell = cell

    def step(self) -> None:
        """Move halfway towards the neighbours' mean value."""
        neighbours = list(self.cell.neighborhood.agents)
        if neighbours:
            mean = sum(n.value for n in neighbours) / len(neighbours)
            self.value += 0.5 * (mean - self.value)


class MinimalMesaModel(mesa.Model):
    """N agents on a random graph with the same mean degree as buurtsim's network."""

    def __init__(self, n: int, mean_degree: float, seed: int = 0) -> None:
        super().__init__(seed=seed)
        graph = nx.fast_gnp_random_graph(n, mean_degree / max(n - 1, 1), seed=seed)
        self.grid = Network(graph, capacity=1, random=self.random)
        for cell, value in zip(self.grid.all_cells, self.rng.random(n), strict=True):
            AveragingAgent(self, float(value), cell)

    def step(self) -> None:
        """One tick: every agent steps in random order."""
        self.agents.shuffle_do("step")


class GraphAgent(mesa.Agent):
    """The per-agent model of issue 16 ("dict-graph"): each agent reads its neighbours straight from
    a networkx graph's adjacency (agents listed by node) and updates simultaneously: step() computes
    the new value, advance() applies it."""

    def __init__(self, model: GraphModel, node: int, value: float) -> None:
        super().__init__(model)
        self.node = node
        self.value = value
        self.next_value = value

    def step(self) -> None:
        """Compute a move halfway towards the neighbours' mean value."""
        by_node = self.model.by_node
        values = [by_node[v].value for v in self.model.graph[self.node]]
        if values:
            self.next_value = self.value + 0.5 * (sum(values) / len(values) - self.value)

    def advance(self) -> None:
        """Apply the value computed in step()."""
        self.value = self.next_value


class GraphModel(mesa.Model):
    """N agents on the nodes of a networkx random graph with buurtsim's mean degree."""

    def __init__(self, n: int, mean_degree: float, seed: int = 0) -> None:
        super().__init__(seed=seed)
        self.graph = nx.fast_gnp_random_graph(n, mean_degree / max(n - 1, 1), seed=seed)
        self.by_node = [GraphAgent(self, node, float(value))
                        for node, value in zip(self.graph.nodes, self.rng.random(n), strict=True)]

    def step(self) -> None:
        """One tick: every agent steps in random order, then all advance."""
        self.agents.shuffle_do("step")
        self.agents.do("advance")


class ListAgent(mesa.Agent):
    """A favourable per-agent variant: neighbour lists precomputed once (not Mesa's idiom)."""

    def __init__(self, model: mesa.Model, value: float) -> None:
        super().__init__(model)
        self.value = value
        self.neighbours: list[ListAgent] = []

    def step(self) -> None:
        """Move halfway towards the neighbours' mean value."""
        if self.neighbours:
            mean = sum(n.value for n in self.neighbours) / len(self.neighbours)
            self.value += 0.5 * (mean - self.value)


class ListModel(mesa.Model):
    """The same averaging with plain Python neighbour lists."""

    def __init__(self, n: int, mean_degree: float, seed: int = 0) -> None:
        super().__init__(seed=seed)
        graph = nx.fast_gnp_random_graph(n, mean_degree / max(n - 1, 1), seed=seed)
        agents = [ListAgent(self, float(v)) for v in self.rng.random(n)]
        for a, b in graph.edges():
            agents[a].neighbours.append(agents[b])
            agents[b].neighbours.append(agents[a])

    def step(self) -> None:
        """One tick: every agent steps in random order."""
        self.agents.shuffle_do("step")


def time_buurtsim(n: int, ticks: int, seed: int) -> tuple[float, float, float, float, float]:
    """(cold construction seconds incl. the twenty-year burn-in, warm construction seconds (the
    settled state restored, as every later model with these parameters and seed gets it), seconds
    for `ticks` steps, mean degree at the end, CPU seconds of the steps)."""
    from buurtsim import NeighbourhoodModel, warmstart

    t0 = time.perf_counter()
    cold = NeighbourhoodModel(n, seed=seed, warm_start=False)
    t1 = time.perf_counter()
    warmstart.WARM.put(warmstart.key(cold.params, cold.seed), cold._settled())
    t2 = time.perf_counter()
    model = NeighbourhoodModel(n, seed=seed)
    t3, c3 = time.perf_counter(), time.process_time()
    model.run(ticks)
    t4, c4 = time.perf_counter(), time.process_time()
    return t1 - t0, t3 - t2, t4 - t3, float(model.metrics()["mean_degree"].iloc[-1]), c4 - c3


def time_minimal(n: int, ticks: int, mean_degree: float, seed: int,
                 cls: type[mesa.Model] = MinimalMesaModel) -> tuple[float, float]:
    """(Seconds, CPU seconds) for `ticks` steps of a per-agent model (default: the idiomatic
    minimal Mesa model).

    One untimed step first: Mesa builds and caches each cell's neighbourhood on first use (the
    first step costs three to six steady ones), and buurtsim's own set-up is not in its rate either.
    """
    model = cls(n, mean_degree, seed)
    model.step()
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(ticks):
        model.step()
    return time.perf_counter() - t0, time.process_time() - c0


def large_run_in_subprocess(n: int, seed: int) -> dict[str, float]:
    """A ten-year run at size n in a fresh process, cold: wall times and peak RSS (MiB), measured by
    the scale benchmark's run (`bench_scale.run_size`)."""
    row = run_size(n, TICKS, seed)
    return {"init_s": row["setup_s"], "run_s": row["run_s"], "total_s": row["setup_s"] + row["run_s"],
            "peak_mib": row["peak_mib"]}


def main() -> None:
    """Run the three comparisons and print a Markdown summary."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=5, help="runs per measurement (the median is reported)")
    ap.add_argument("--minimal-ticks", type=int, default=20, help="ticks per timing of the per-agent models")
    ap.add_argument("--skip-large", action="store_true", help="skip the N = 100,000 runs")
    ap.add_argument("--json", help="also write the raw numbers to this file")
    args = ap.parse_args()

    results: dict[str, object] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "mesa": mesa.__version__,
        "numpy": np.__version__,
    }
    n = 10_000
    totals, warm_totals, runs, rates_full, rates_min, rates_list, rates_graph = [], [], [], [], [], [], []
    cpu_ratios_min, cpu_ratios_graph = [], []
    for r in range(args.repeats):
        init_s, warm_s, run_s, degree, run_cpu = time_buurtsim(n, TICKS, seed=r)
        totals.append(init_s + run_s)
        warm_totals.append(warm_s + run_s)
        runs.append(run_s)
        rates_full.append(n * TICKS / run_s)
        min_s, min_cpu = time_minimal(n, args.minimal_ticks, degree, seed=r)
        rates_min.append(n * args.minimal_ticks / min_s)
        graph_s, graph_cpu = time_minimal(n, args.minimal_ticks, degree, seed=r, cls=GraphModel)
        rates_graph.append(n * args.minimal_ticks / graph_s)
        list_s, _ = time_minimal(n, args.minimal_ticks, degree, seed=r, cls=ListModel)
        rates_list.append(n * args.minimal_ticks / list_s)
        # the same ratios in CPU time: on a loaded machine, waiting for a core is not counted
        cpu_ratios_min.append((TICKS / run_cpu) / (args.minimal_ticks / min_cpu))
        cpu_ratios_graph.append((TICKS / run_cpu) / (args.minimal_ticks / graph_cpu))
        print(f"repeat {r}: buurtsim N={n} cold {init_s + run_s:.2f} s, warm {warm_s + run_s:.2f} s (run {run_s:.2f} s, "
              f"{run_s / TICKS * 1000:.1f} ms/tick); idiomatic Mesa {min_s / args.minimal_ticks * 1000:.0f} ms/tick; "
              f"dict-graph Mesa {graph_s / args.minimal_ticks * 1000:.0f} ms/tick; "
              f"neighbour lists {list_s / args.minimal_ticks * 1000:.0f} ms/tick; "
              f"ratios {rates_full[-1] / rates_min[-1]:.1f} (Network), {rates_full[-1] / rates_graph[-1]:.1f} (dict-graph); "
              f"in CPU time {cpu_ratios_min[-1]:.1f}, {cpu_ratios_graph[-1]:.1f}", flush=True)
    results["n10k_total_s_median"] = statistics.median(totals)
    results["n10k_run_s_median"] = statistics.median(runs)
    results["n10k_totals"] = totals
    results["n10k_warm_total_s_median"] = statistics.median(warm_totals)
    results["rate_buurtsim_median"] = statistics.median(rates_full)
    results["rate_minimal_median"] = statistics.median(rates_min)
    ratios = [a / b for a, b in zip(rates_full, rates_min, strict=True)]
    results["throughput_ratio_median"] = statistics.median(ratios)
    results["throughput_ratios"] = ratios
    ratios_graph = [a / b for a, b in zip(rates_full, rates_graph, strict=True)]
    results["rate_graph_median"] = statistics.median(rates_graph)
    results["throughput_ratio_graph_median"] = statistics.median(ratios_graph)
    results["throughput_ratios_graph"] = ratios_graph
    results["cpu_ratio_median"] = statistics.median(cpu_ratios_min)
    results["cpu_ratio_graph_median"] = statistics.median(cpu_ratios_graph)
    results["cpu_ratios"] = cpu_ratios_min
    results["cpu_ratios_graph"] = cpu_ratios_graph
    ratios_list = [a / b for a, b in zip(rates_full, rates_list, strict=True)]
    results["rate_lists_median"] = statistics.median(rates_list)
    results["throughput_ratio_lists_median"] = statistics.median(ratios_list)
    if not args.skip_large:
        large = [large_run_in_subprocess(100_000, seed=r) for r in range(max(1, args.repeats - 1))]
        for r, res in enumerate(large):
            print(f"large {r}: {res}", flush=True)
        results["n100k_total_s_median"] = statistics.median(x["total_s"] for x in large)
        results["n100k_peak_mib_max"] = max(x["peak_mib"] for x in large)
        results["n100k_runs"] = large

    print()
    print(f"Machine: {results['machine']}; Mesa {results['mesa']}, NumPy {results['numpy']}; one core per run.")
    print()
    print("| measurement | target | median | result |")
    print("|---|---|---|---|")
    t10 = results["n10k_total_s_median"]
    tw = results["n10k_warm_total_s_median"]
    print(f"| N = 10,000, 520 ticks from a warm start (the settled state restored), s | <= 5 | {tw:.2f} | {'met' if tw <= 5 else 'NOT met'} |")
    print(f"| N = 10,000, 520 ticks cold (first run of a parameter set and seed: set-up and 20-year burn-in), s | – | {t10:.2f} | – |")
    if "n100k_total_s_median" in results:
        t100, mem = results["n100k_total_s_median"], results["n100k_peak_mib_max"]
        print(f"| N = 100,000, 520 ticks, s | <= 60 | {t100:.1f} | {'met' if t100 <= 60 else 'NOT met'} |")
        print(f"| N = 100,000, peak memory, MiB | <= 2048 | {mem:.0f} (max) | {'met' if mem <= 2048 else 'NOT met'} |")
    ratio = results["throughput_ratio_median"]
    print(f"| resident-weeks/s, buurtsim / idiomatic minimal Mesa (N = 10,000) | >= 10 | {ratio:.1f} "
          f"({results['rate_buurtsim_median']:,.0f} vs {results['rate_minimal_median']:,.0f}) | {'met' if ratio >= 10 else 'NOT met'} |")
    rg = results["throughput_ratio_graph_median"]
    print(f"| the same against the dict-graph Mesa model of issue 16 (networkx neighbours, step/advance) | >= 25 | "
          f"{rg:.1f} ({results['rate_buurtsim_median']:,.0f} vs {results['rate_graph_median']:,.0f}) | "
          f"{'met' if rg >= 25 else 'NOT met'} |")
    print(f"| the two ratios in CPU time (waiting for a core not counted) | – | "
          f"{results['cpu_ratio_median']:.1f} (Network), {results['cpu_ratio_graph_median']:.1f} (dict-graph) | – |")
    rl = results["throughput_ratio_lists_median"]
    print(f"| the same against hand-optimised neighbour lists (not idiomatic; for reference) | – | {rl:.1f} "
          f"({results['rate_buurtsim_median']:,.0f} vs {results['rate_lists_median']:,.0f}) | – |")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, indent=2)


if __name__ == "__main__":
    main()
