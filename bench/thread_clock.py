"""A Scrapy extension for the crawl benchmark: the CPU of the reactor's thread over the spider's
span, beside the whole process's.

    -s 'EXTENSIONS={"bench.thread_clock.ThreadClock": 0}'

At `spider_closed` it sets two stats, which Scrapy dumps with the others: `bench/reactor_cpu_s`
(`time.thread_time` of the thread the reactor runs in) and `bench/process_cpu_s`
(`time.process_time`: every thread of the process, Redline's writer among them; not its worker
processes). Their difference is the CPU of the other threads. A rate is set by the reactor's
thread on loopback, and its CPU a page is steadier than wall time on a shared machine (issue 23).
"""

from __future__ import annotations

import time

from scrapy import signals
from scrapy.crawler import Crawler


class ThreadClock:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.started = (0.0, 0.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ThreadClock:
        extension = cls(crawler)
        # Bound methods of an object Scrapy keeps (signal handlers are weakly referenced).
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def opened(self) -> None:
        self.started = (time.thread_time(), time.process_time())

    def closed(self) -> None:
        reactor_s = time.thread_time() - self.started[0]
        process_s = time.process_time() - self.started[1]
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("bench/reactor_cpu_s", round(reactor_s, 4))
            self.crawler.stats.set_value("bench/process_cpu_s", round(process_s, 4))
