"""The demo news site's content: eight stories, their editions, and the edits each one shows.

Everything here is plain, invented data (the city of Millbrook, its council, its ferry and its
people do not exist). `monitor.demo.site` renders it; end-to-end tests compare what Redline reports
with `EXPECTED_EDITS`, the ground truth written down next to the text it describes.

Editions of the site:

1. Seven stories, one of them in Spanish.
2. The "next edition": each story carries one deliberate kind of edit (see `ROLES`), and one new
   story appears.
3. Lifecycle: one story is removed (404), one reverts to its edition-1 text, one moves to a new URL
   behind a 301 redirect.
4. The removed story is back with its edition-2 text.

Editions after 4 keep edition 4's text; only the page boilerplate keeps changing, until:

10. The redesign (`REDESIGN_EDITION`): the same stories in a new template (byline format, dates,
    a promo box and a newsletter box inside the article, a numbered list, a ticker); no story text
    changes, so nothing significant may be reported.
11. One real edit inside the redesigned page (`REDESIGN_EDIT_EDITION`): the storm story's rainfall
    figure changes.
20. The first template again (`TEMPLATE_BASE_EDITION`), the stories as in edition 11.
21. A template change on every article at once (`TEMPLATE_EDITION`, `monitor.demo.template`:
    title suffix, byline role, link labels, a "Most read" rail, a newsletter box and a share
    counter inside the article), with one real edit among them: a quotation in the ferry story.

`make demo` shows editions 1 to 4 (`EDITIONS`); the redesign editions are for the tests. A changed
sentence differs from its earlier form only by the intended words, so a sentence-level diff sees
exactly the edits listed in `EXPECTED_EDITS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

ARTICLE_DIR = "/news/2026/11/"
PRIVATE_PATH = "/private/draft-budget-leak.html"
"""Linked from the home page but disallowed by robots.txt: a polite crawler never fetches it."""

EDITIONS: tuple[int, ...] = (1, 2, 3, 4)
LATEST_EDITION = EDITIONS[-1]
# Far past the demo's editions, so that stories added for editions 5 and on keep their numbers.
REDESIGN_EDITION = 10
REDESIGN_EDIT_EDITION = 11
# The template change (`monitor.demo.template`): edition 20 is the first template again with the
# stories as in edition 11; from edition 21 every article page changes template at once.
TEMPLATE_BASE_EDITION = 20
TEMPLATE_EDITION = 21


@dataclass(frozen=True)
class Version:
    """One published form of a story: what a reader sees between the site header and footer."""

    headline: str
    author: str
    published: str  # ISO 8601, UTC
    updated: str  # ISO 8601, UTC; equal to `published` until the newsroom admits an update
    description: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Removed:
    """The story's URL answers 404 and no page links to it."""


@dataclass(frozen=True)
class Redirected:
    """The story's old URL answers 301 to `to_slug`'s URL, which serves `version`."""

    to_slug: str
    version: Version


State = Version | Removed | Redirected | None
"""What a story is in one edition; None means "not published yet" (404, not linked)."""


@dataclass(frozen=True)
class Story:
    """A story and its state per edition; a missing edition repeats the last one before it."""

    slug: str
    section: str
    language: str
    editions: Mapping[int, State]


def _edit(paragraphs: tuple[str, ...], changes: Mapping[int, str]) -> tuple[str, ...]:
    """Replace paragraphs by index, keeping every other paragraph byte for byte."""
    return tuple(changes.get(index, text) for index, text in enumerate(paragraphs))


# 1. A misspelt name corrected in two sentences, and one word added inside a quotation.
SLUG_NAME_AND_QUOTE = "council-approves-riverside-housing-plan"

_COUNCIL_1 = Version(
    headline="Council approves 1,200-home Riverside plan after marathon session",
    author="Priya Castellano",
    published="2026-11-03T17:45:00+00:00",
    updated="2026-11-03T17:45:00+00:00",
    description=(
        "Millbrook's city council voted to rezone the former Calder rail yards for housing, "
        "ending a two-year fight over the riverfront."
    ),
    paragraphs=(
        "Millbrook’s city council voted 7-4 late on Tuesday to approve a plan for 1,200 new homes "
        "on the former Calder rail yards, ending a two-year fight over the future of the city’s "
        "last large stretch of undeveloped riverfront. The vote came shortly before midnight, "
        "after nearly nine hours of public comment and debate.",
        "The plan, drawn up by the city’s planning department with the developer Greyhaven "
        "Partners, sets aside 30 percent of the homes as affordable housing for households earning "
        "less than 60 percent of the area median income. It also includes a 4-acre park, a primary "
        "school site and a new pedestrian bridge across the Tamsin River.",
        "Councillor Dana Neimann-Ortiz, who chairs the housing committee and negotiated the "
        'affordability terms, called the vote "a turning point for families who have been priced '
        'out of this city." She said the council had secured more than it expected from the '
        "developer.",
        "“This is the most important vote this council has taken in a decade,” said Mayor Elaine "
        "Hollis, who attended the session but does not vote on zoning matters. “We are finally "
        "building homes instead of arguing about them.”",
        "Opponents, led by the Riverside Neighbours Association, argued that the development would "
        "overwhelm local roads and that the rail yards should be cleaned up and turned into a park "
        "in their entirety. The association’s chair, Tomasz Wielgus, said the group was "
        'considering a legal challenge. "We were not heard tonight," he said. "Four hundred people '
        'signed up to speak, and most of them were against this."',
        "Soil tests commissioned by the city last year found elevated levels of lead and diesel "
        "residue across roughly a third of the 38-acre site. Under the approved plan, Greyhaven "
        "must complete the cleanup, estimated at $26 million, before any homes are occupied.",
        "Councillor Marcus Bell, one of the four no votes, said the affordability terms were "
        'weaker than they appeared. "Thirty percent sounds generous until you read the fine '
        'print," he said, pointing to a clause that lets the developer pay into a city fund '
        "instead of building some of the affordable units on site.",
        "Neimann-Ortiz disputed that reading, saying the clause applied to no more than 40 units "
        "and that any payment would be at least $310,000 per unit.",
        "Construction of the first phase, about 350 homes along Wharf Street, could begin as early "
        "as next autumn, according to the planning department. The full development is expected "
        "to take eight to ten years.",
        "The council will hold a separate vote in January on a $14 million bond to pay for the "
        "pedestrian bridge.",
    ),
)
_COUNCIL_2 = replace(
    _COUNCIL_1,
    paragraphs=_edit(
        _COUNCIL_1.paragraphs,
        {
            2: "Councillor Dana Neumann-Ortiz, who chairs the housing committee and negotiated the "
            'affordability terms, called the vote "a turning point for families who have been '
            'priced out of this city." She said the council had secured more than it expected from '
            "the developer.",
            3: "“This is the most important housing vote this council has taken in a decade,” said "
            "Mayor Elaine Hollis, who attended the session but does not vote on zoning matters. "
            "“We are finally building homes instead of arguing about them.”",
            7: "Neumann-Ortiz disputed that reading, saying the clause applied to no more than 40 "
            "units and that any payment would be at least $310,000 per unit.",
        },
    ),
)

# 2. A death toll updated plus a correction note; removed in edition 3, restored in edition 4.
SLUG_NUMBER_AND_CORRECTION = "warehouse-fire-eastport"

_FIRE_1 = Version(
    headline="Fire tears through Eastport warehouse during night shift",
    author="Owen Falkner",
    published="2026-11-03T22:10:00+00:00",
    updated="2026-11-04T06:30:00+00:00",
    description=(
        "Firefighters battled the blaze at a furniture distribution centre for more than six "
        "hours. Investigators have not yet determined the cause."
    ),
    paragraphs=(
        "A fire that broke out late on Monday at a furniture warehouse in Eastport killed 12 "
        "people, most of them workers on the overnight shift, fire officials said on Tuesday.",
        "The blaze began shortly after 11 p.m. in the loading area of the Brannock Home Supply "
        "distribution centre on Quarry Lane and spread quickly through the single-storey building, "
        "which covers roughly 200,000 square feet. More than 60 firefighters from four stations "
        "fought the fire for over six hours before bringing it under control.",
        "Fire Chief Renata Osei told reporters at a briefing outside the site that crews had been "
        'hampered by collapsing sections of the roof. "My firefighters went in as far as they '
        'safely could," she said. "Some of them went further than that."',
        "Twenty-three people were taken to Eastport General Hospital, where a spokeswoman said "
        "four remained in critical condition on Tuesday afternoon. Two firefighters were treated "
        "for smoke inhalation and released.",
        "Workers who escaped described a scene of confusion. Lucia Ferreira, a forklift operator "
        "who had been on shift for about three hours, said she heard shouting before she saw any "
        "smoke. “Somebody yelled that the back was on fire, and then the lights went out,” she "
        "said. “We held hands and followed the wall until we found the door.”",
        'Brannock Home Supply said in a statement that it was "devastated" by the loss of life and '
        "was cooperating fully with investigators. The company did not respond to questions about "
        "when the building’s sprinkler system had last been inspected.",
        "City records show that the warehouse was cited in 2024 for blocked emergency exits, a "
        "violation the company said at the time had been corrected. A follow-up inspection was "
        "scheduled for this spring but had not taken place, according to the records.",
        "The state fire marshal’s office said the cause of the fire was under investigation and "
        "that it was too early to say whether it was accidental. Mayor Elaine Hollis ordered flags "
        "on city buildings lowered to half-staff through Friday.",
    ),
)
_FIRE_2 = replace(
    _FIRE_1,
    updated="2026-11-04T11:20:00+00:00",
    paragraphs=(
        *_edit(
            _FIRE_1.paragraphs,
            {
                0: "A fire that broke out late on Monday at a furniture warehouse in Eastport "
                "killed at least 15 people, most of them workers on the overnight shift, fire "
                "officials said on Tuesday.",
            },
        ),
        "Correction: An earlier version of this article misstated the number of people killed in "
        "the fire. At least 15 people died, not 12.",
    ),
)

# 3. Headline softened and the awkward paragraph deleted; edition 3 reverts to edition 1.
SLUG_HEADLINE_AND_REMOVAL = "mayor-admits-budget-shortfall"

_BUDGET_1 = Version(
    headline="Mayor admits city faces $40 million budget shortfall",
    author="Hannah Whitlock",
    published="2026-11-04T06:15:00+00:00",
    updated="2026-11-04T06:15:00+00:00",
    description=(
        "Elaine Hollis told the finance committee that weak tax receipts and rising pension costs "
        "have opened a gap in next year's budget."
    ),
    paragraphs=(
        "Mayor Elaine Hollis acknowledged on Wednesday that Millbrook faces a budget shortfall of "
        "about $40 million next year, the first time her administration has put a figure on a gap "
        "that independent analysts have warned about for months.",
        "Speaking to the council’s finance committee, Hollis said lower-than-expected property tax "
        "receipts and a sharp rise in pension contributions had left the city “in a harder place "
        "than we planned for.” She said every department would be asked to propose cuts of between "
        "3 and 5 percent by mid-December.",
        "The admission marks a reversal for the mayor, who said as recently as September that the "
        'budget was "balanced and on track." Her campaign literature last year promised that the '
        "city would not need to raise taxes or cut services during her term. Asked on Wednesday "
        "whether that promise still held, Hollis declined to answer directly.",
        "The city’s chief financial officer, Gregory Amankwah, told the committee that the "
        "shortfall amounts to roughly 6 percent of the general fund. He said the pension increase "
        "alone accounts for $17 million, driven by a change in the state’s actuarial assumptions.",
        "“Nobody in this room caused the pension problem, but everybody in this room is going to "
        "have to help solve it,” Amankwah said.",
        "Councillor Marcus Bell, who chairs the finance committee, said he would oppose any cuts "
        'to libraries, parks or the fire service. "We have cut those three to the bone already," '
        'he said. "If there is fat left, it is not there."',
        "Union leaders representing about 2,300 city employees said they had not been consulted. "
        "Sharon Idowu, president of the Millbrook Municipal Workers Union, said her members would "
        '"resist any attempt to balance this budget on the backs of the people who keep the city '
        'running."',
        "The mayor is expected to present a full draft budget to the council on December 9. A "
        "public hearing is scheduled for January 14 at City Hall.",
    ),
)
_BUDGET_2 = replace(
    _BUDGET_1,
    headline="Mayor says city faces $40 million budget shortfall",
    paragraphs=_BUDGET_1.paragraphs[:2] + _BUDGET_1.paragraphs[3:],
)

# 4. No edit at all: only the page around the story changes between editions.
SLUG_UNCHANGED = "harbour-ferry-winter-timetable"

_FERRY = Version(
    headline="Harbour ferry to switch to winter timetable with fewer late sailings",
    author="Felix Adeyemi",
    published="2026-11-03T14:00:00+00:00",
    updated="2026-11-03T14:00:00+00:00",
    description=(
        "The last two weekday evening sailings to Gull Island will be cut from November 16, with "
        "an extra boat added to the morning peak."
    ),
    paragraphs=(
        "The Millbrook Harbour ferry will move to its winter timetable on November 16, cutting the "
        "last two evening sailings between the city pier and Gull Island on weekdays, the Harbour "
        "Transit Authority said on Tuesday.",
        "Under the new schedule, the final weekday departure from the city pier will leave at "
        "8:40 p.m. instead of 10:10 p.m. Weekend service will be unchanged, with boats running "
        "every 40 minutes until 11 p.m. on Fridays and Saturdays.",
        "The authority said ridership on the late sailings falls by more than half between "
        'November and March. "We run those boats nearly empty for four months of the year," said '
        'Corinne Vasquez, the authority’s operations director. "Moving that crew time to the '
        'morning rush gives us a more reliable service when people actually need it."',
        "The morning peak will gain one extra sailing, at 7:25 a.m., which the authority said "
        "would ease crowding on the 7:10 and 7:50 departures. Those boats regularly leave "
        "passengers behind on the pier during the winter months, when fewer commuters cycle to "
        "work.",
        "Residents of Gull Island, home to about 1,900 people, have pushed back against the cuts "
        "in previous years. The island’s residents’ association said in a statement that the "
        "change would leave shift workers and restaurant staff with no way home.",
        "“If you finish work at nine, you are now sleeping on a friend’s sofa in town,” said Mark "
        "Oduya, who owns a café near the island’s ferry landing. “That is not a timetable. That is "
        "a curfew.”",
        "The authority said it would run a water taxi pilot on Tuesday and Thursday nights in "
        "December, with fares capped at $6, and would review late-night demand in February. The "
        "winter timetable runs until March 22.",
    ),
)

# Only in the template change edition (`TEMPLATE_EDITION`): one word inside a quotation.
_FERRY_QUOTED = replace(
    _FERRY,
    paragraphs=_edit(
        _FERRY.paragraphs,
        {
            2: "The authority said ridership on the late sailings falls by more than half between "
            'November and March. "We run those boats almost empty for four months of the year," '
            'said Corinne Vasquez, the authority’s operations director. "Moving that crew time to '
            'the morning rush gives us a more reliable service when people actually need it."'
        },
    ),
)

# 5. A spelling fix and a sentence added; edition 3 moves the story to a new URL (301).
SLUG_TYPO_AND_ADDITION = "school-district-literacy-program"
SLUG_MOVED_TO = "school-district-expands-literacy-program"

_TUTORS_1 = Version(
    headline="School district to expand reading tutors to every primary school",
    author="Miriam Sorensen",
    published="2026-11-03T19:30:00+00:00",
    updated="2026-11-03T19:30:00+00:00",
    description=(
        "A two-year pilot in nine schools produced the largest reading gains the district has "
        "measured. The expansion will cost about $4.2 million a year."
    ),
    paragraphs=(
        "The Millbrook Unified School District will expand its reading tutor programme to all 31 "
        "of its primary schools next year, after a two-year pilot in nine schools produced gains "
        "that district officials described as the largest they had measured.",
        "In the pilot schools, the share of second-graders reading at grade level rose from 48 "
        "percent to 63 percent between spring 2024 and spring 2026, according to figures presented "
        "to the school board on Tuesday. In comparable schools without tutors, the share rose by "
        "two percentage points.",
        "Superintendent Alicia Brennan said the results had persuaded her the programme was worth "
        'its cost. "We have tried a lot of things that looked good on paper," she said. "This is '
        'the first one where I can walk into a classroom and see the difference."',
        "The expansion will cost about $4.2 million a year, most of it to hire 120 part-time "
        "tutors, many of them retired teachers and university students. The district plans to pay "
        "for the first year with money from a state goverment grant and the remainder from its own "
        "reserves.",
        "Each tutor works with groups of no more than three children for 30 minutes a day, four "
        "days a week, using a phonics-based curriculum the district adopted in 2023.",
        "Some board members questioned whether the gains would last. “I want to see where these "
        "children are in fifth grade before we call this a success,” said board member Raymond "
        "Tull, who nonetheless voted for the expansion.",
        "The board approved the plan 6-1. The lone vote against came from board member Jasmine "
        "Achterberg, who said the district should first fix a shortage of special education staff.",
        "Recruitment of new tutors will begin in January, the district said.",
    ),
)
_TUTORS_2 = replace(
    _TUTORS_1,
    updated="2026-11-04T10:05:00+00:00",
    paragraphs=_edit(
        _TUTORS_1.paragraphs,
        {
            3: "The expansion will cost about $4.2 million a year, most of it to hire 120 "
            "part-time tutors, many of them retired teachers and university students. The "
            "district plans to pay for the first year with money from a state government grant "
            "and the remainder from its own reserves.",
            4: "Each tutor works with groups of no more than three children for 30 minutes a day, "
            "four days a week, using a phonics-based curriculum the district adopted in 2023. "
            "Tutors receive 20 hours of training before they start.",
        },
    ),
)

# 6. Spanish: the number of injured changed, plus a "fe de erratas" paragraph.
SLUG_SPANISH = "choque-autobus-avenida-central"

_BUS_1 = Version(
    headline="Choque entre un autobús y un camión de reparto en la avenida Central",
    author="Lucía Márquez",
    published="2026-11-04T07:10:00+00:00",
    updated="2026-11-04T07:10:00+00:00",
    description=(
        "El accidente obligó a cortar el tráfico durante casi tres horas en el cruce con la calle "
        "Molino."
    ),
    paragraphs=(
        "Un autobús urbano de la línea 14 chocó el martes por la tarde contra un camión de reparto "
        "en el cruce de la avenida Central con la calle Molino, un accidente que dejó tres heridos "
        "y obligó a cortar el tráfico durante casi tres horas.",
        "Según la policía municipal, el camión no respetó un semáforo en rojo y golpeó el lateral "
        "del autobús, que transportaba a unas 30 personas. El conductor del autobús logró detener "
        "el vehículo contra la acera sin que volcara.",
        "«Oímos un golpe tremendo y todos caímos hacia un lado», contó Ana Beltrán, de 52 años, "
        "que viajaba sentada cerca de la puerta trasera. «Lo primero que hice fue buscar a mi "
        "nieto. Gracias a Dios estaba bien».",
        "Los heridos fueron trasladados al Hospital General de Millbrook. Un portavoz del hospital "
        "dijo que ninguno se encontraba en estado grave y que se esperaba que todos recibieran el "
        "alta antes del fin de semana.",
        "El conductor del camión, un hombre de 41 años, dio negativo en la prueba de alcoholemia, "
        "según la policía. Los agentes tomaron declaración a varios testigos y revisarán las "
        "grabaciones de las cámaras de un comercio cercano.",
        'El concejal de Movilidad, Andrés Quiroga, dijo que el cruce "lleva años pidiendo a '
        'gritos" un rediseño y anunció que la ciudad instalará cámaras de control de semáforos '
        "antes de final de año.",
        "Vecinos de la zona aseguran que los accidentes en ese punto son frecuentes. La asociación "
        "vecinal del barrio de Molino ha registrado al menos siete choques en el cruce desde "
        "enero, según su presidenta, Carmen Villalobos.",
        "La línea 14 funcionó con desvíos hasta las 20.00 horas, cuando se restableció el servicio "
        "normal. La empresa municipal de transporte abrió una investigación interna.",
    ),
)
_BUS_2 = replace(
    _BUS_1,
    updated="2026-11-04T12:40:00+00:00",
    paragraphs=(
        *_edit(
            _BUS_1.paragraphs,
            {
                0: "Un autobús urbano de la línea 14 chocó el martes por la tarde contra un camión "
                "de reparto en el cruce de la avenida Central con la calle Molino, un accidente "
                "que dejó cinco heridos y obligó a cortar el tráfico durante casi tres horas.",
            },
        ),
        "Fe de erratas: Una versión anterior de este artículo indicaba que el accidente dejó tres "
        "heridos. Fueron cinco.",
    ),
)

# 7. Cosmetic only: curly quotes, a double space, spaced hyphens become em dashes.
SLUG_COSMETIC = "central-library-reopens"

_LIBRARY_1 = Version(
    headline="Central library reopens after two-year, $18 million renovation",
    author="Theo Lindqvist",
    published="2026-11-03T11:00:00+00:00",
    updated="2026-11-03T11:00:00+00:00",
    description=(
        "The renovated building adds a rooftop reading terrace, a children's wing and a free "
        "recording studio."
    ),
    paragraphs=(
        "Millbrook's Central Library reopened to the public on Saturday after a two-year "
        "renovation that added a rooftop reading terrace, a children's wing and the city's first "
        "public recording studio.",
        "More than 3,000 people passed through the doors in the first four hours, according to "
        "library staff, and the line at one point stretched around the block to Fenwick Street.",
        '"It feels like the whole city came to see what we have done with the place," said head '
        'librarian Constance Okafor, who has worked at the library for 22 years. "People were '
        'hugging the shelves."',
        "The $18 million project - paid for largely by a 2023 bond measure - replaced the "
        "building's leaking roof, its original 1962 heating system and most of its wiring.",
        "The new children's wing occupies what was once the periodicals room and includes a "
        "sensory room for children with autism, designed with help from parents.",
        "The recording studio, which can be booked for free in two-hour slots, was already "
        "reserved through the end of January by Saturday afternoon, staff said.",
        "Not everyone was pleased. Several longtime patrons complained that the renovation had "
        'cost the library about 15 percent of its shelf space. "They have made it beautiful, but '
        'there are fewer books," said Walter Prendergast, 78, a retired teacher. "That is a '
        'strange thing for a library to be proud of."',
        "Okafor said about 40,000 books had been moved to a new storage facility and could be "
        "requested online for next-day pickup. The library is open from 9 a.m. to 8 p.m. Monday "
        "through Saturday and from noon to 5 p.m. on Sundays.",
    ),
)
_LIBRARY_2 = replace(
    _LIBRARY_1,
    paragraphs=_edit(
        _LIBRARY_1.paragraphs,
        {
            0: "Millbrook’s Central Library reopened to the public on Saturday after a two-year "
            "renovation that added a rooftop reading terrace, a children’s wing and the city’s "
            "first public recording studio.",
            2: "“It feels like the whole city came to see what we have done with the place,” said "
            "head librarian Constance Okafor, who has worked at the library for 22 years. “People "
            "were hugging the shelves.”",
            3: "The $18 million project — paid for largely by a 2023 bond measure — replaced the "
            "building's leaking roof, its original 1962 heating system and most of its wiring.",
            4: "The new children's wing occupies what was once the periodicals room and  includes "
            "a sensory room for children with autism, designed with help from parents.",
        },
    ),
)

# 8. New in edition 2: the first version of a story is not an edit.
SLUG_NEW = "storm-warning-coastal-districts"

_STORM = Version(
    headline="Storm warning issued for coastal districts as gale nears",
    author="Nadia Rahimi",
    published="2026-11-04T12:30:00+00:00",
    updated="2026-11-04T12:30:00+00:00",
    description=(
        "Gusts of up to 70 miles per hour are forecast for Harbourside, Gull Island and Saltmarsh "
        "on Thursday."
    ),
    paragraphs=(
        "The regional weather service issued a storm warning for Millbrook’s coastal districts on "
        "Wednesday, forecasting gusts of up to 70 miles per hour and waves of 5 metres when a deep "
        "low-pressure system reaches the coast early on Thursday.",
        "The warning covers the Harbourside, Gull Island and Saltmarsh neighbourhoods from 2 a.m. "
        "until 6 p.m. on Thursday. Forecasters said the heaviest rain, up to 60 millimetres, was "
        "expected between dawn and midday.",
        "The city’s emergency management director, Keith Ambrose, urged residents of low-lying "
        'streets to move cars to higher ground and to avoid the seafront promenade. "This is not a '
        'storm to go and watch," he said. "Stay away from the water."',
        "The Harbour Transit Authority said all ferry sailings to Gull Island would be suspended "
        "from 1 a.m. and would not resume before Thursday evening at the earliest. Schools in the "
        "three districts will be closed.",
        "Sandbags are available at the Saltmarsh fire station and the Harbourside community "
        "centre, and city crews spent Wednesday afternoon clearing storm drains along Wharf "
        "Street, which flooded twice last winter.",
        "“We have been through worse, but we have also been caught out before,” said Beatrice "
        "Kwan, who runs a fish shop on the promenade and was stacking sandbags outside her door on "
        "Wednesday. “I would rather carry sandbags for nothing.”",
        "Power company Tamsin Electric said it had placed additional repair crews on standby and "
        "advised customers to report downed lines rather than approach them.",
        "Forecasters expect the wind to ease by Friday morning, although a warning for coastal "
        "flooding will stay in place until the evening high tide.",
    ),
)

# 11. Inside the redesigned page, one real edit: the rainfall forecast is raised.
_STORM_REDESIGNED = replace(
    _STORM,
    paragraphs=_edit(
        _STORM.paragraphs,
        {
            1: "The warning covers the Harbourside, Gull Island and Saltmarsh neighbourhoods from "
            "2 a.m. until 6 p.m. on Thursday. Forecasters said the heaviest rain, up to 80 "
            "millimetres, was expected between dawn and midday."
        },
    ),
)

STORIES: dict[str, Story] = {
    story.slug: story
    for story in (
        Story(SLUG_NAME_AND_QUOTE, "Politics", "en", {1: _COUNCIL_1, 2: _COUNCIL_2}),
        Story(
            SLUG_NUMBER_AND_CORRECTION,
            "News",
            "en",
            {1: _FIRE_1, 2: _FIRE_2, 3: Removed(), 4: _FIRE_2},
        ),
        Story(
            SLUG_HEADLINE_AND_REMOVAL, "Politics", "en", {1: _BUDGET_1, 2: _BUDGET_2, 3: _BUDGET_1}
        ),
        Story(SLUG_UNCHANGED, "Local", "en", {1: _FERRY, TEMPLATE_EDITION: _FERRY_QUOTED}),
        Story(
            SLUG_TYPO_AND_ADDITION,
            "Education",
            "en",
            {1: _TUTORS_1, 2: _TUTORS_2, 3: Redirected(SLUG_MOVED_TO, _TUTORS_2)},
        ),
        Story(SLUG_SPANISH, "En español", "es", {1: _BUS_1, 2: _BUS_2}),
        Story(SLUG_COSMETIC, "Culture", "en", {1: _LIBRARY_1, 2: _LIBRARY_2}),
        Story(
            SLUG_NEW, "News", "en", {1: None, 2: _STORM, REDESIGN_EDIT_EDITION: _STORM_REDESIGNED}
        ),
    )
}
SLUGS: list[str] = list(STORIES)
"""Story slugs in a fixed order: the seven of edition 1, then the story new in edition 2."""

ROLES: dict[str, str] = {
    SLUG_NAME_AND_QUOTE: "a misspelt name corrected; a word added inside a quotation",
    SLUG_NUMBER_AND_CORRECTION: "a death toll updated with a correction note; removed; restored",
    SLUG_HEADLINE_AND_REMOVAL: "headline softened, a paragraph deleted; then reverted",
    SLUG_UNCHANGED: "never edited: only boilerplate around it changes",
    SLUG_TYPO_AND_ADDITION: "a spelling fix and a sentence added; then moved behind a 301",
    SLUG_SPANISH: "Spanish: number of injured changed, with a fe de erratas",
    SLUG_COSMETIC: "cosmetic only: quotes, spacing and dashes",
    SLUG_NEW: "new in edition 2; a figure changed inside the redesigned page",
}

_NONE: frozenset[str] = frozenset()

EXPECTED_EDITS: dict[str, dict[tuple[int, int], frozenset[str]]] = {
    # Two sentences carry the corrected name; the quotation gains the word "housing".
    SLUG_NAME_AND_QUOTE: {(1, 2): frozenset({"name", "quote"}), (2, 3): _NONE, (3, 4): _NONE},
    SLUG_NUMBER_AND_CORRECTION: {
        (1, 2): frozenset({"number", "correction_note"}),
        (2, 3): frozenset({"removed"}),
        (3, 4): frozenset({"restored"}),
    },
    # The three sentences of the deleted paragraph are three sentence_removed edits: one kind.
    # (2, 3) also undoes the headline and the deletion, but only the lifecycle kind is listed: a
    # revert is reported as "reverted", not as the edits that make it up.
    SLUG_HEADLINE_AND_REMOVAL: {
        (1, 2): frozenset({"headline", "sentence_removed"}),
        (2, 3): frozenset({"reverted"}),
        (3, 4): _NONE,
    },
    SLUG_UNCHANGED: {(1, 2): _NONE, (2, 3): _NONE, (3, 4): _NONE},
    # From edition 3 the old URL answers 301; the new URL serves the edition-2 text unchanged.
    SLUG_TYPO_AND_ADDITION: {
        (1, 2): frozenset({"typo", "sentence_added"}),
        (2, 3): frozenset({"redirected"}),
        (3, 4): _NONE,
    },
    SLUG_SPANISH: {(1, 2): frozenset({"number", "correction_note"}), (2, 3): _NONE, (3, 4): _NONE},
    # Straight to curly quotes, a double space, spaced hyphens to em dashes: no significant edit.
    SLUG_COSMETIC: {(1, 2): frozenset({"cosmetic"}), (2, 3): _NONE, (3, 4): _NONE},
    # No (1, 2) entry: the story first appears in edition 2, and a first version is not an edit.
    SLUG_NEW: {(2, 3): _NONE, (3, 4): _NONE},
}
# The redesign (REDESIGN_EDITION - 1 to REDESIGN_EDITION) changes no story text: nothing
# significant. From REDESIGN_EDITION to REDESIGN_EDIT_EDITION only these stories change.
REDESIGN_EDITS: dict[str, frozenset[str]] = {SLUG_NEW: frozenset({"number"})}
# From TEMPLATE_BASE_EDITION to TEMPLATE_EDITION the template changes on every article (one
# `template_changed` event, nothing significant) and only this edit is the newsroom's.
TEMPLATE_EDITS: dict[str, frozenset[str]] = {SLUG_UNCHANGED: frozenset({"quote"})}


def story_state(slug: str, edition: int) -> State:
    """The story's state in `edition`: the latest entry at or before it (None before the first)."""
    story = STORIES[slug]
    known = [number for number in story.editions if number <= edition]
    return story.editions[max(known)] if known else None


def slug_path(slug: str) -> str:
    """The path of a slug's article page, whether or not anything is served there."""
    return f"{ARTICLE_DIR}{slug}.html"


def article_path(slug: str, edition: int) -> str | None:
    """Where the story is read in `edition` (its new path once redirected); None if not served."""
    state = story_state(slug, edition)
    if isinstance(state, Version):
        return slug_path(slug)
    if isinstance(state, Redirected):
        return slug_path(state.to_slug)
    return None


def served_version(slug: str, edition: int) -> Version | None:
    """The text a reader gets for the story in `edition`, following a redirect; None if absent."""
    state = story_state(slug, edition)
    if isinstance(state, Version):
        return state
    if isinstance(state, Redirected):
        return state.version
    return None


def current_slugs(edition: int) -> list[str]:
    """Stories readable in `edition`, newest first: the order of the home page, section and feed."""
    live = [(served_version(slug, edition), slug) for slug in SLUGS]
    ordered = sorted(
        ((version.published, slug) for version, slug in live if version is not None),
        reverse=True,
    )
    return [slug for _, slug in ordered]
