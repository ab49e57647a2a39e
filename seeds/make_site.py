#!/usr/bin/env python3
"""Builds seeds/site/: four simulated Arabic news outlets that republish the seed articles.

Usage: python3 seeds/make_site.py [--check]

The output is deterministic (fixed random seed) and committed, so the demo needs no Python.
Every link is written as __ORIGIN__/<outlet>/<slug>.html; the demo server replaces __ORIGIN__
with its own http://127.0.0.1:<port> when it serves a file.

--check also prints an estimate of the word 5-shingle Jaccard similarity between every pair of
pages (after the usual Arabic normalization), to see that copies of one story stay close and
different stories stay apart.
"""

import html
import json
import random
import re
import shutil
import sys
import xml.dom.minidom
from html.parser import HTMLParser
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ARTICLES = HERE / "articles"
SITE = HERE / "site"
ORIGIN = "__ORIGIN__"
RANDOM_SEED = 20250212

# ---------------------------------------------------------------------------------------------
# Seed articles: where the headline is and which lines are the source site's leftover boilerplate.
# ---------------------------------------------------------------------------------------------

SEEDS = {
    "000": {
        "file": "000_e5e4121f9679d68c.txt",
        "headline": "بأمر من بوتين",
        "head_boiler": ["2 د"],
        "tail_from": "أحلى ماعندنا",
        "date": datetime(2025, 1, 1, 9, 20, tzinfo=timezone.utc),
        "headlines": [
            None,  # the seed's own headline
            'بوتين يوجه الحكومة و"سبيربنك" بتعزيز التعاون مع الصين في الذكاء الاصطناعي',
            "الكرملين: تعليمات رئاسية بتوسيع الشراكة التقنية مع بكين في الذكاء الاصطناعي",
        ],
    },
    "001": {
        "file": "001_841debd7d53d1f6b.txt",
        "headline": "تعاون روسي ــ صيني",
        "head_boiler": ["علوم وتكنولوجيا"],
        "tail_from": "صحيفة الأخبار اللبنانية",
        "date": datetime(2025, 2, 10, 14, 5, tzinfo=timezone.utc),
        "headlines": [
            None,
            '"سبيربنك" يخطط لمشاريع بحثية مشتركة مع باحثين صينيين بعد صعود DeepSeek',
            "بعد DeepSeek.. روسيا تتجه شرقا لتعزيز قدراتها في الذكاء الاصطناعي",
        ],
    },
    "002": {
        "file": "002_5ee567f0a3263497.txt",
        "headline": "بوتين يعلن إطلاق تحالف",
        "head_boiler": ["تاريخ النشر"],
        "tail_from": "المصدر: مأرب برس",
        "date": datetime(2024, 12, 11, 16, 40, tzinfo=timezone.utc),
        "headlines": [
            None,
            'روسيا تطلق تحالفا للذكاء الاصطناعي مع "بريكس" لتحدي الهيمنة الأمريكية',
            "بوتين: سنطلق اليوم تحالف الذكاء الاصطناعي مع شركائنا في بريكس",
        ],
    },
    "003": {
        "file": "003_91a454787268b445.txt",
        "headline": "الصين تطلق 2 تحالفات",
        "head_boiler": [],
        "tail_from": None,
        "date": datetime(2025, 7, 28, 7, 15, tzinfo=timezone.utc),
        "headlines": [
            None,
            "تحالفان صينيان جديدان للرقائق ونماذج الذكاء الاصطناعي في مواجهة القيود الأمريكية",
            "شركات صينية تتكتل لمواجهة القيود الأمريكية على الذكاء الاصطناعي",
            "تكتل صيني للرقائق ونماذج اللغة.. بكين ترد على حظر واشنطن بتحالفين جديدين",
        ],
    },
    "004": {
        "file": "004_20fe2541fac32525.txt",
        "headline": "الصين تلجأ لتدريب",
        "head_boiler": ["اقتصاد وتكنولوجيا", "شروق محمد"],
        "tail_from": "مقالات ذات صلة",
        "date": datetime(2025, 11, 3, 11, 0, tzinfo=timezone.utc),
        "headlines": [
            None,
            '"فاينانشال تايمز": عمالقة التكنولوجيا الصينيون ينقلون تدريب نماذجهم إلى جنوب شرق آسيا',
            'علي بابا وبايت دانس تدربان نماذج الذكاء الاصطناعي خارج الصين لتفادي قيود "إنفيديا"',
        ],
    },
}

# ---------------------------------------------------------------------------------------------
# Outlet-only stories (written for this site; each appears on exactly one outlet).
# ---------------------------------------------------------------------------------------------

SINGLES = {
    "weather": {
        "title": "الأرصاد تحذر من أمطار رعدية غزيرة وسيول محتملة في المناطق الجنوبية حتى الجمعة",
        "date": datetime(2025, 11, 18, 6, 30, tzinfo=timezone.utc),
        "paragraphs": [
            "حذرت دائرة الأرصاد الجوية من حالة عدم استقرار جوي تبدأ مساء الثلاثاء وتستمر حتى يوم الجمعة، "
            "ترافقها أمطار رعدية غزيرة على فترات في المناطق الجنوبية والشرقية، مع احتمال تشكل السيول في "
            "الأودية والمناطق المنخفضة.",
            "وقال مدير قسم التنبؤات في الدائرة إن كميات الهطول المتوقعة قد تتجاوز 40 مليمترا في بعض "
            "المرتفعات خلال 24 ساعة، وهي كميات تفوق المعدل الشهري المعتاد لهذا الوقت من العام.",
            "ودعت الدائرة السائقين إلى تجنب عبور الأودية أثناء جريان المياه، وتخفيف السرعة على الطرق "
            "الخارجية بسبب تدني مدى الرؤية وتشكل الضباب في ساعات الصباح الباكر، كما طالبت المزارعين "
            "بتأمين البيوت البلاستيكية والمواشي.",
            "من جهتها، أعلنت مديرية الدفاع المدني رفع درجة الجاهزية في مراكزها الميدانية، وتوزيع فرق إنقاذ "
            "إضافية على المحافظات الأكثر عرضة للفيضانات، مؤكدة أن غرف العمليات ستعمل على مدار الساعة "
            "لتلقي البلاغات.",
            "ويتوقع أن تنخفض درجات الحرارة بما بين 6 و8 درجات مئوية عن معدلاتها، لتسجل العظمى في العاصمة "
            "نحو 17 درجة، قبل أن تعود إلى الارتفاع التدريجي مطلع الأسبوع المقبل مع انحسار المنخفض الجوي.",
        ],
    },
    "football": {
        "title": "النجوم يقلب الطاولة على اتحاد الساحل ويعتلي صدارة الدوري",
        "date": datetime(2025, 11, 22, 20, 45, tzinfo=timezone.utc),
        "paragraphs": [
            "قلب فريق النجوم تأخره بهدف إلى فوز ثمين بهدفين مقابل هدف على ضيفه اتحاد الساحل، في المباراة "
            "التي جمعتهما مساء السبت على الملعب البلدي ضمن الجولة الثانية عشرة من الدوري الممتاز، ليعتلي "
            "صدارة الترتيب برصيد 28 نقطة.",
            "وتقدم اتحاد الساحل مبكرا عن طريق مهاجمه الشاب سامر خليل في الدقيقة التاسعة، مستغلا خطأ في "
            "التمركز الدفاعي، وكاد الضيوف أن يضاعفوا النتيجة قبل نهاية الشوط الأول لولا تألق الحارس يوسف "
            "العلي الذي تصدى لركلة جزاء.",
            "وفي الشوط الثاني أجرى مدرب النجوم تبديلين هجوميين غيرا مجرى اللقاء، إذ أدرك البديل مالك حداد "
            "التعادل بضربة رأسية في الدقيقة 61، قبل أن يسجل قائد الفريق عمر ناصر هدف الفوز بتسديدة قوية "
            "من خارج منطقة الجزاء قبل النهاية بسبع دقائق.",
            "وقال مدرب النجوم في المؤتمر الصحفي عقب المباراة إن لاعبيه أظهروا شخصية قوية بعد استقبال الهدف، "
            "مشيدا بالجماهير التي ملأت المدرجات رغم الأمطار، فيما اعتبر مدرب اتحاد الساحل أن فريقه دفع ثمن "
            "تراجعه البدني في الدقائق الأخيرة.",
            "ويلتقي النجوم في الجولة المقبلة مع شباب الوادي خارج أرضه، بينما يستضيف اتحاد الساحل فريق "
            "الجزيرة في مواجهة يسعى فيها لاستعادة توازنه.",
        ],
    },
    "vegetables": {
        "title": "ارتفاع أسعار الخضار في السوق المركزي بنسبة 12% مع تراجع الكميات الواردة",
        "date": datetime(2025, 11, 20, 8, 10, tzinfo=timezone.utc),
        "paragraphs": [
            "سجلت أسعار الخضار في سوق الجملة المركزي ارتفاعا بنسبة 12 في المئة خلال الأسبوع الماضي مقارنة "
            "بالأسبوع الذي سبقه، وفق النشرة الأسبوعية الصادرة عن إدارة السوق، وذلك بسبب تراجع الكميات "
            "الواردة من المزارع مع انخفاض درجات الحرارة.",
            "وأظهرت النشرة أن سعر كيلوغرام البندورة ارتفع إلى 650 فلسا بعد أن كان 450 فلسا، فيما صعد سعر "
            "الخيار إلى 700 فلس، والكوسا إلى 800 فلس، بينما حافظت البطاطا والبصل على مستوياتهما السابقة "
            "تقريبا.",
            "وقال رئيس جمعية تجار الخضار والفواكه إن الكميات الواردة إلى السوق انخفضت بنحو الربع، موضحا أن "
            "موجة البرد أبطأت نضج المحاصيل في الأغوار، وأن ارتفاع كلف النقل والأسمدة زاد الضغط على "
            "المزارعين.",
            "وتوقع أن تعود الأسعار إلى الاستقرار خلال أسبوعين مع دخول إنتاج المناطق الدافئة إلى السوق، داعيا "
            "الجهات المعنية إلى تنظيم التصدير في هذه الفترة لضمان توفر الكميات الكافية للسوق المحلية.",
            "في المقابل، اشتكى مستهلكون من أن الأسعار في محلات التجزئة تزيد بنسبة تصل إلى الضعف على أسعار "
            "الجملة، مطالبين وزارة الصناعة والتجارة بتشديد الرقابة على هوامش الربح ونشر قوائم أسعار "
            "استرشادية يومية.",
        ],
    },
    "bookfair": {
        "title": "انطلاق معرض الكتاب في دورته العشرين بمشاركة 400 دار نشر من 25 دولة",
        "date": datetime(2025, 11, 19, 9, 0, tzinfo=timezone.utc),
        "paragraphs": [
            "افتتح وزير الثقافة صباح الأربعاء الدورة العشرين لمعرض الكتاب الدولي في مركز المعارض بالعاصمة، "
            "بمشاركة 400 دار نشر عربية وأجنبية من 25 دولة، تعرض أكثر من 150 ألف عنوان في مختلف مجالات "
            "المعرفة.",
            "وتحل الثقافة المغربية ضيف شرف على هذه الدورة، من خلال جناح خاص يضم إصدارات حديثة ومخطوطات "
            "نادرة، إضافة إلى برنامج من الأمسيات الشعرية والعروض الموسيقية يحييه فنانون من فاس ومراكش "
            "وطنجة.",
            "ويتضمن البرنامج الثقافي المصاحب نحو 60 فعالية، بينها ندوات عن مستقبل النشر الرقمي وحقوق "
            "المؤلف، وورش لكتابة القصة موجهة للأطفال واليافعين، وجلسات توقيع لروائيين شباب صدرت أعمالهم "
            "الأولى هذا العام.",
            "وقالت مديرة المعرض إن الإدارة خصصت يوما مجانيا لطلبة المدارس والجامعات، وأطلقت تطبيقا إلكترونيا "
            "يتيح للزوار البحث عن العناوين وتحديد أماكن دور النشر داخل القاعات، بعد شكاوى الزحام في الدورة "
            "الماضية.",
            "ويستمر المعرض عشرة أيام، ويفتح أبوابه يوميا من العاشرة صباحا حتى العاشرة مساء، على أن تعلن في "
            "حفل الختام أسماء الفائزين بجائزة المعرض لأفضل كتاب عربي في فئات الرواية والدراسات والكتاب "
            "المترجم.",
        ],
    },
    "buses": {
        "title": "تشغيل المرحلة الأولى من خط الحافلات سريعة التردد بين وسط المدينة والمطار",
        "date": datetime(2025, 11, 23, 5, 50, tzinfo=timezone.utc),
        "paragraphs": [
            "بدأ صباح الأحد التشغيل التجريبي للمرحلة الأولى من مشروع الحافلات سريعة التردد، الذي يربط وسط "
            "المدينة بمطارها الدولي عبر مسار مخصص بطول 22 كيلومترا، يضم 14 محطة مجهزة بشاشات تعرض مواعيد "
            "الوصول.",
            "وقال مدير هيئة النقل العام إن الخط سيعمل بثلاثين حافلة كهربائية حديثة، بمعدل رحلة كل ثماني "
            "دقائق في أوقات الذروة، مشيرا إلى أن زمن الرحلة بين طرفي الخط لن يتجاوز 35 دقيقة بعد أن كان "
            "يصل إلى ساعة كاملة بالسيارة في أوقات الازدحام.",
            "وحددت الهيئة أجرة الرحلة الواحدة بنصف دينار، مع اشتراكات شهرية مخفضة للطلبة وكبار السن، ويمكن "
            "الدفع بالبطاقات البنكية أو ببطاقة النقل المدفوعة مسبقا التي تباع في جميع المحطات.",
            "ورحب سكان الأحياء الشرقية بالمشروع الذي طال انتظاره، غير أن أصحاب محال تجارية على الشارع "
            "الرئيسي اشتكوا من تراجع حركة الزبائن خلال سنوات الإنشاء، مطالبين بتعويضات عن الخسائر التي "
            "لحقت بهم.",
            "ومن المقرر أن تبدأ أعمال المرحلة الثانية، التي تمتد نحو الجامعة والمدينة الصناعية، في الربع "
            "الثاني من العام المقبل بتمويل من قرض ميسر.",
        ],
    },
    "vaccines": {
        "title": "وزارة الصحة تطلق حملة تطعيم مجانية ضد الإنفلونزا الموسمية في المدارس",
        "date": datetime(2025, 11, 17, 7, 25, tzinfo=timezone.utc),
        "paragraphs": [
            "أطلقت وزارة الصحة يوم الإثنين حملة وطنية للتطعيم ضد الإنفلونزا الموسمية تستهدف طلبة المدارس "
            "الحكومية والخاصة في الصفوف من الأول حتى السادس، إلى جانب المعلمين والعاملين في الكوادر "
            "الإدارية، وتستمر ثلاثة أسابيع.",
            "وأوضح مدير إدارة الرعاية الصحية الأولية أن الوزارة وفرت 250 ألف جرعة من اللقاح الرباعي المعتمد "
            "من منظمة الصحة العالمية، وأن فرقا طبية متنقلة ستزور المدارس وفق جدول معلن مسبقا، على أن يقدم "
            "اللقاح بعد الحصول على موافقة خطية من أولياء الأمور.",
            "وأشار إلى أن الحملة تأتي بعد ارتفاع ملحوظ في حالات الإصابة بأمراض الجهاز التنفسي خلال الشهر "
            "الماضي، خاصة بين الأطفال، مؤكدا أن اللقاح آمن وأن أعراضه الجانبية تقتصر عادة على ألم خفيف في "
            "موضع الحقن أو ارتفاع بسيط في الحرارة.",
            "ودعت الوزارة كبار السن والمصابين بالأمراض المزمنة والحوامل إلى مراجعة المراكز الصحية القريبة "
            "للحصول على اللقاح مجانا، مشيرة إلى أن المراكز ستمدد ساعات عملها حتى الثامنة مساء طوال فترة "
            "الحملة.",
            "وتنصح الوزارة الأهالي بإبقاء الأطفال المصابين بالحمى في المنزل، والحرص على غسل اليدين وتهوية "
            "الصفوف، للحد من انتشار العدوى في المدارس.",
        ],
    },
    "water": {
        "title": "انقطاع المياه عن أحياء شمال المدينة يومين لاستكمال صيانة الخط الرئيسي",
        "date": datetime(2025, 11, 21, 10, 15, tzinfo=timezone.utc),
        "paragraphs": [
            "أعلنت مصلحة المياه أن الضخ سيتوقف عن عدد من أحياء شمال المدينة يومي الأربعاء والخميس "
            "المقبلين، لاستكمال أعمال صيانة واستبدال أجزاء من الخط الناقل الرئيسي الذي تعرض لأعطال متكررة "
            "خلال الصيف الماضي.",
            "وقال مدير العمليات في المصلحة إن الأعمال تشمل استبدال 3 كيلومترات من الأنابيب القديمة المصنوعة "
            "من الحديد الزهر بأنابيب جديدة من البولي إيثيلين، وتركيب صمامات حديثة تسمح بعزل الأعطال مستقبلا "
            "دون قطع المياه عن مناطق واسعة.",
            "وأضاف أن الأحياء المتأثرة تضم نحو 45 ألف مشترك، وأن المصلحة ستسير صهاريج مجانية إلى المستشفيات "
            "والمدارس ودور الرعاية طوال فترة الانقطاع، داعيا السكان إلى ملء الخزانات المنزلية وترشيد "
            "الاستهلاك.",
            "وأكدت المصلحة أن الضخ سيعود تدريجيا مساء الخميس، وقد تحتاج المناطق المرتفعة إلى 24 ساعة إضافية "
            "حتى تستقر الضغوط في الشبكة، مشيرة إلى أن رقم الطوارئ المجاني سيبقى متاحا لتلقي الشكاوى.",
            "ويأتي المشروع ضمن خطة لتقليل الفاقد من المياه الذي يقدر بثلاثين في المئة من الكميات المضخوخة، "
            "بتمويل من منحة خارجية.",
        ],
    },
}

# ---------------------------------------------------------------------------------------------
# Outlets and the copies each one publishes.
#   story: seed id or single key; slug; headline: index into the seed's headlines;
#   keep_boiler: keep the seed's leftover boilerplate lines; lead: agency lead on the first paragraph;
#   drop: block indices (into the seed's body blocks) to leave out; swap: swap block i and i+1;
#   hours: publication time relative to the seed's date.
# ---------------------------------------------------------------------------------------------

OUTLETS = {
    "nabaa": {
        "name": "النبأ اليوم",
        "feed": "rss.xml",
        "format": "RSS 2.0 (utf-8)",
        "charset": "utf-8",
        "style": "tashkeel",
        "author": "قسم الأخبار الدولية",
        "copies": [
            {"story": "000", "slug": "putin-orders-ai-cooperation-with-china", "headline": 0,
             "keep_boiler": False, "lead": "موسكو (رويترز) - ", "hours": 3},
            {"story": "001", "slug": "russia-looks-east-after-deepseek", "headline": 2,
             "keep_boiler": False, "drop": [9], "hours": 6},
            {"story": "002", "slug": "russia-brics-ai-alliance", "headline": 1,
             "keep_boiler": False, "hours": 2},
            {"story": "003", "slug": "china-chip-model-alliances", "headline": 3,
             "keep_boiler": False, "drop": [20, 21], "hours": 9},
            {"story": "004", "slug": "china-trains-ai-models-abroad", "headline": 0,
             "keep_boiler": True, "hours": 0},
            {"story": "weather", "slug": "storm-warning-south"},
            {"story": "football", "slug": "nujoum-top-of-league"},
        ],
    },
    "marsad": {
        "name": "المرصد الإخباري",
        "feed": "atom.xml",
        "format": "Atom 1.0 (utf-8)",
        "charset": "utf-8",
        "style": "plain",
        "author": "هيئة التحرير",
        "copies": [
            {"story": "000", "slug": "article-48213", "headline": 1,
             "keep_boiler": True, "drop": [0, 1, 2, 3], "hours": 5},
            {"story": "001", "slug": "article-49107", "headline": 0,
             "keep_boiler": True, "hours": 1},
            {"story": "003", "slug": "article-57740", "headline": 0,
             "keep_boiler": False, "hours": 0},
            {"story": "vegetables", "slug": "article-61022"},
        ],
    },
    "wasla": {
        "name": "الوصلة",
        "feed": "feed.json",
        "format": "JSON Feed 1.1 (utf-8)",
        "charset": "utf-8",
        "style": "tatweel",
        "author": "فريق الوصلة",
        "copies": [
            {"story": "001", "slug": "sber-china-research-projects", "headline": 1,
             "keep_boiler": False, "lead": "موسكو - وكالات: ", "swap": 6, "hours": 10},
            {"story": "002", "slug": "putin-launches-ai-alliance", "headline": 0,
             "keep_boiler": "readmore", "hours": 4},
            {"story": "003", "slug": "two-chinese-ai-alliances", "headline": 1,
             "keep_boiler": False, "drop": [3], "hours": 14},
            {"story": "004", "slug": "alibaba-bytedance-train-abroad", "headline": 2,
             "keep_boiler": False, "drop": [12], "hours": 7},
            {"story": "bookfair", "slug": "book-fair-opens"},
            {"story": "buses", "slug": "airport-brt-line"},
        ],
    },
    "sada": {
        "name": "صدى الخليج",
        "feed": "rss.xml",
        "format": "RSS 2.0 (windows-1256)",
        "charset": "windows-1256",
        "style": "legacy",
        "author": "المحرر",
        "copies": [
            {"story": "000", "slug": "n7731", "headline": 2,
             "keep_boiler": False, "drop": [13], "hours": 26},
            {"story": "002", "slug": "n7520", "headline": 2,
             "keep_boiler": "partial", "lead": "موسكو (أ ف ب) - ", "hours": 8},
            {"story": "003", "slug": "n8046", "headline": 2,
             "keep_boiler": False, "swap": 3, "hours": 20},
            {"story": "004", "slug": "n8390", "headline": 1,
             "keep_boiler": False, "lead": "(رويترز) - ", "hours": 5},
            {"story": "vaccines", "slug": "n8402"},
            {"story": "water", "slug": "n8417"},
        ],
    },
}

COMMENTS = [
    ("أبو خالد", "تحليل جيد لكن ينقصه رأي الخبراء المستقلين."),
    ("سارة م.", "شكرا على التغطية، ننتظر المزيد من التفاصيل."),
    ("مواطن", "الأهم هو انعكاس ذلك على حياة الناس اليومية."),
    ("رامي", "خبر مهم، وأتمنى أن تتابعوا الموضوع في الأيام القادمة."),
    ("ليلى", "العنوان أكبر من المضمون برأيي."),
    ("أحمد ع.", "متى تنشرون الأرقام الرسمية كاملة؟"),
    ("نور", "مقال واضح ومختصر، بارك الله فيكم."),
    ("زائر", "هل من مصدر رسمي لهذه المعلومات؟"),
]

# ---------------------------------------------------------------------------------------------
# Orthography per outlet.
# ---------------------------------------------------------------------------------------------

ARABIC_WORD = re.compile(r"[\u0621-\u064A\u0671-\u06D3]+")
TASHKEEL = re.compile(r"[\u064B-\u0652\u0670]")
EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

VOCALIZED = {
    "الذكاء": "الذَّكاء", "الاصطناعي": "الاصْطِناعيّ", "روسيا": "روسْيا", "الصين": "الصِّين",
    "بوتين": "بوتِين", "التعاون": "التَّعاوُن", "الرئيس": "الرَّئيس", "الولايات": "الوِلايات",
    "المتحدة": "المُتَّحدة", "العقوبات": "العُقوبات", "الغربية": "الغَرْبيّة", "الشركات": "الشَّرِكات",
    "التحالف": "التَّحالُف", "تحالف": "تَحالُف", "الشرائح": "الشَّرائح", "موسكو": "مُوسْكو",
    "بكين": "بِكين", "الرقائق": "الرَّقائق", "التكنولوجيا": "التِّكْنولوجيا", "مجال": "مَجال",
    "الحكومة": "الحُكومة", "تعزيز": "تَعْزيز", "الهيمنة": "الهَيْمنة", "قيود": "قُيود",
}

HYPERCORRECT = {
    "الانتخابات": "الإنتخابات", "استراتيجية": "إستراتيجية", "الاستثمارات": "الإستثمارات",
    "الاستقلالية": "الإستقلالية", "استجابة": "إستجابة", "الابتكار": "الإبتكار", "استمرار": "إستمرار",
    "اجتماع": "إجتماع", "اتخاذ": "إتخاذ", "انطلاق": "إنطلاق", "اصطناعي": "إصطناعي",
}

NON_JOINING = set("اأإآدذرزوؤةءى")


def per_word(text, fn):
    return ARABIC_WORD.sub(lambda m: fn(m.group(0)), text)


def add_tashkeel(text, rng):
    def fn(word):
        if word in VOCALIZED:
            return VOCALIZED[word]
        if word.startswith("ال") and word.endswith("ي") and len(word) >= 6 and rng.random() < 0.5:
            return word + "\u0651"  # shadda on the nisba ya
        return word
    return per_word(text, fn)


def add_tatweel(text, rng, rate=0.07):
    def fn(word):
        if len(word) < 5 or rng.random() >= rate:
            return word
        spots = [i for i in range(1, len(word) - 1) if word[i] not in NON_JOINING and word[i] != "ـ"]
        if not spots:
            return word
        i = rng.choice(spots)
        return word[: i + 1] + "ـ" * rng.randint(1, 3) + word[i + 1:]
    return per_word(text, fn)


def drop_hamza(text):
    return text.translate(str.maketrans("أإآ", "ااا"))


def hypercorrect(text):
    return per_word(text, lambda w: HYPERCORRECT.get(w, w))


def ya_to_alef_maqsura(text, rng, rate=0.6):
    def fn(word):
        if len(word) >= 2 and word.endswith("ي") and rng.random() < rate:
            return word[:-1] + "ى"
        return word
    return per_word(text, fn)


def ta_to_ha(text, rng, rate=0.2):
    def fn(word):
        if len(word) >= 4 and word.endswith("ة") and rng.random() < rate:
            return word[:-1] + "ه"
        return word
    return per_word(text, fn)


def orthography(style, text, rng, title=False):
    """Applies one outlet's house spelling to a piece of text."""
    if style == "tashkeel":  # vocalizes frequent words, keeps hamza, Western digits
        return add_tashkeel(text, rng)
    if style == "plain":  # no tashkeel, bare alef, Egyptian final ى, Eastern digits
        text = TASHKEEL.sub("", text)
        text = drop_hamza(text)
        text = ya_to_alef_maqsura(text, rng)
        return text.translate(EASTERN)
    if style == "tatweel":  # tatweel (heavier in titles), hamza hypercorrection, Eastern digits
        text = hypercorrect(text)
        text = add_tatweel(text, rng, 0.25 if title else 0.07)
        return text.translate(EASTERN)
    if style == "legacy":  # stripped tashkeel, final ة written ه and ي written ى now and then
        text = TASHKEEL.sub("", text)
        text = ta_to_ha(text, rng)
        text = ya_to_alef_maqsura(text, rng, 0.25)
        if title:
            text = add_tatweel(text, rng, 0.2)
        return text
    raise ValueError(style)


# ---------------------------------------------------------------------------------------------
# Reading the seeds.
# ---------------------------------------------------------------------------------------------


def block_kind(line):
    if line.startswith("- "):
        return "li"
    words = line.split()
    if len(words) <= 12 and not line.endswith((".", "،", "؟!", "!", '"')):
        return "h"
    return "p"


def load_seed(sid):
    meta = SEEDS[sid]
    lines = [ln.strip() for ln in (ARTICLES / meta["file"]).read_text(encoding="utf-8").splitlines()]
    lines = [ln for ln in lines if ln]
    headline = next(ln for ln in lines if ln.startswith(meta["headline"]))
    head, body, tail = [], [], []
    seen_headline = False
    in_tail = False
    for ln in lines:
        if ln == headline and not seen_headline:
            seen_headline = True
            continue
        if meta["tail_from"] and ln.startswith(meta["tail_from"]):
            in_tail = True
        if in_tail:
            tail.append(ln)
        elif any(ln.startswith(b) for b in meta["head_boiler"]):
            head.append(ln)
        else:
            body.append((block_kind(ln), ln.removeprefix("- ")))
    return {"headline": headline, "head": head, "body": body, "tail": tail}


# ---------------------------------------------------------------------------------------------
# Building one copy.
# ---------------------------------------------------------------------------------------------


def build_copy(outlet_id, outlet, copy, rng):
    story = copy["story"]
    style = outlet["style"]
    if story in SEEDS:
        seed = load_seed(story)
        blocks = [b for i, b in enumerate(seed["body"]) if i not in copy.get("drop", [])]
        if "swap" in copy:
            i = copy["swap"]
            blocks[i], blocks[i + 1] = blocks[i + 1], blocks[i]
        keep = copy.get("keep_boiler", False)
        if keep is True:
            blocks = [("p", ln) for ln in seed["head"]] + blocks + [("p", ln) for ln in seed["tail"]]
        elif keep == "partial":  # the source line survives, the appended unrelated story does not
            blocks = blocks + [("p", seed["tail"][0])]
        elif keep == "readmore":  # the source line and the read-more heading survive, not its story
            blocks = [("p", ln) for ln in seed["head"]] + blocks + [("p", ln) for ln in seed["tail"][:3]]
        alt = SEEDS[story]["headlines"][copy["headline"]]
        title = alt or seed["headline"]
        date = SEEDS[story]["date"] + timedelta(hours=copy["hours"], minutes=rng.randint(0, 50))
    else:
        single = SINGLES[story]
        blocks = [("p", p) for p in single["paragraphs"]]
        title = single["title"]
        date = single["date"]
    if copy.get("lead"):
        for i, (kind, text) in enumerate(blocks):
            if kind == "p" and len(text.split()) > 25:
                blocks[i] = (kind, copy["lead"] + text)
                break
    blocks = [(kind, orthography(style, text, rng)) for kind, text in blocks]
    title = orthography(style, title, rng, title=True)
    first = next(text for kind, text in blocks if kind == "p" and len(text.split()) > 25)
    words = first.split()
    summary = " ".join(words[:28]) + ("…" if len(words) > 28 else "")
    return {
        "outlet": outlet_id,
        "story": story,
        "slug": copy["slug"],
        "path": f"/{outlet_id}/{copy['slug']}.html",
        "url": f"{ORIGIN}/{outlet_id}/{copy['slug']}.html",
        "title": title,
        "summary": summary,
        "blocks": blocks,
        "date": date,
        "author": outlet["author"],
    }


# ---------------------------------------------------------------------------------------------
# Page templates: one per outlet, each with its own structure and class names.
# ---------------------------------------------------------------------------------------------

E = html.escape


def iso(date):
    return date.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def teaser(art, n=14):
    words = art["summary"].rstrip("…").split()
    return " ".join(words[:n]) + "…"


def related_for(art, arts, rng, n=3):
    others = [a for a in arts if a["path"] != art["path"]]
    return rng.sample(others, min(n, len(others)))


def comments_for(rng):
    return rng.sample(COMMENTS, 2)


def head_meta(art, site_name, charset_tag):
    return f"""<head>
{charset_tag}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{E(art['title'])} | {E(site_name)}</title>
<meta name="description" content="{E(art['summary'])}">
<meta name="author" content="{E(art['author'])}">
<meta property="og:type" content="article">
<meta property="og:title" content="{E(art['title'])}">
<meta property="og:description" content="{E(art['summary'])}">
<meta property="og:url" content="{art['url']}">
<meta property="og:site_name" content="{E(site_name)}">
<meta property="og:locale" content="ar_AR">
<meta property="og:image" content="{ORIGIN}/{art['outlet']}/img/{art['slug']}.jpg">
<meta property="article:published_time" content="{iso(art['date'])}">
<meta property="article:author" content="{E(art['author'])}">
<link rel="canonical" href="{art['url']}">
<link rel="stylesheet" href="{ORIGIN}/{art['outlet']}/assets/style.css">
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"page": "article"}});</script>
</head>"""


def render_nabaa(art, arts, rng):
    """<article> with <h2> subheads and <ul> lists; breadcrumb, share bar, newsletter, comments."""
    o = art["outlet"]
    body = []
    items = []
    for kind, text in art["blocks"]:
        if kind == "li":
            items.append(f"<li>{E(text)}</li>")
            continue
        if items:
            body.append("<ul>" + "".join(items) + "</ul>")
            items = []
        body.append(f"<h2>{E(text)}</h2>" if kind == "h" else f"<p>{E(text)}</p>")
    if items:
        body.append("<ul>" + "".join(items) + "</ul>")
    rel = "\n".join(
        f'<li><a href="{a["url"]}">{E(a["title"])}</a><p class="teaser">{E(teaser(a))}</p></li>'
        for a in related_for(art, arts, rng))
    com = "\n".join(
        f'<li class="comment"><span class="comment-author">{E(n)}</span><p>{E(t)}</p></li>'
        for n, t in comments_for(rng))
    date_txt = art["date"].strftime("%Y/%m/%d %H:%M")
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
{head_meta(art, "النبأ اليوم", '<meta charset="utf-8">')}
<body class="single">
<header class="site-header">
<a class="logo" href="{ORIGIN}/{o}/">النبأ اليوم</a>
<nav class="main-menu"><ul>
<li><a href="{ORIGIN}/{o}/">الرئيسية</a></li><li><a href="{ORIGIN}/{o}/politics/">سياسة</a></li>
<li><a href="{ORIGIN}/{o}/economy/">اقتصاد</a></li><li><a href="{ORIGIN}/{o}/tech/">تكنولوجيا</a></li>
<li><a href="{ORIGIN}/{o}/sport/">رياضة</a></li><li><a href="{ORIGIN}/{o}/opinion/">آراء</a></li>
<li><a href="{ORIGIN}/{o}/video/">فيديو</a></li>
</ul></nav>
<form class="search" action="{ORIGIN}/{o}/search"><input name="q" placeholder="ابحث في الموقع"></form>
</header>
<main>
<ol class="breadcrumb"><li><a href="{ORIGIN}/{o}/">الرئيسية</a></li><li><a href="{ORIGIN}/{o}/world/">أخبار العالم</a></li><li>{E(art['title'])}</li></ol>
<article class="story">
<h1 class="story-title">{E(art['title'])}</h1>
<div class="story-meta"><span class="byline">بقلم: {E(art['author'])}</span>
<time datetime="{iso(art['date'])}">{date_txt}</time><span class="read-time">3 دقائق للقراءة</span></div>
<figure class="lead-image"><img src="{ORIGIN}/{o}/img/{art['slug']}.jpg" alt=""><figcaption>صورة أرشيفية</figcaption></figure>
<div class="share-bar"><span>شارك:</span>
<a href="https://www.facebook.com/sharer.php?u={art['url']}">فيسبوك</a>
<a href="https://twitter.com/intent/tweet?url={art['url']}">إكس</a>
<a href="https://wa.me/?text={art['url']}">واتساب</a><a href="#" class="copy-link">نسخ الرابط</a></div>
<div class="story-body">
{chr(10).join(body)}
</div>
<div class="tags">الوسوم: <a href="{ORIGIN}/{o}/tag/ai/">الذكاء الاصطناعي</a> <a href="{ORIGIN}/{o}/tag/world/">دولي</a></div>
</article>
<section class="newsletter"><h3>النشرة البريدية</h3>
<p>اشترك في نشرتنا اليومية ليصلك أهم الأخبار كل صباح.</p>
<form><input type="email" placeholder="بريدك الإلكتروني"><button>اشترك</button></form>
<p class="small">بالنقر على زر الاشتراك فإنك توافق على سياسة الخصوصية.</p></section>
<section class="related"><h3>اقرأ أيضا</h3><ul>
{rel}
</ul></section>
<section class="comments"><h3>التعليقات (2)</h3><ol>
{com}
</ol>
<form class="comment-form"><textarea placeholder="اكتب تعليقك"></textarea><button>أرسل</button></form>
<p class="small">التعليقات تعبر عن آراء أصحابها ولا تمثل رأي الموقع.</p></section>
</main>
<footer class="site-footer">
<ul><li><a href="{ORIGIN}/{o}/about">من نحن</a></li><li><a href="{ORIGIN}/{o}/contact">اتصل بنا</a></li>
<li><a href="{ORIGIN}/{o}/privacy">سياسة الخصوصية</a></li><li><a href="{ORIGIN}/{o}/rss.xml">RSS</a></li></ul>
<p>جميع الحقوق محفوظة © 2025 النبأ اليوم</p>
<a href="#top" class="back-to-top">زر الذهاب إلى الأعلى</a>
</footer>
</body>
</html>
"""


def render_marsad(art, arts, rng):
    """WordPress-like: <div class="post-content entry-content">, <h3> subheads, sidebar widgets."""
    o = art["outlet"]
    body = []
    for kind, text in art["blocks"]:
        if kind == "h":
            body.append(f"<h3>{E(text)}</h3>")
        elif kind == "li":
            body.append(f"<p>• {E(text)}</p>")
        else:
            body.append(f"<p>{E(text)}</p>")
    rel = "\n".join(
        f'<div class="related-item"><a href="{a["url"]}" rel="bookmark">{E(a["title"])}</a>'
        f'<div class="excerpt">{E(teaser(a, 12))}</div></div>'
        for a in related_for(art, arts, rng))
    com = "\n".join(
        f'<div class="comment-body"><cite class="fn">{E(n)}</cite><div class="comment-text"><p>{E(t)}</p></div></div>'
        for n, t in comments_for(rng))
    date_txt = art["date"].strftime("%d-%m-%Y").translate(EASTERN)
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
{head_meta(art, "المرصد الإخباري", '<meta charset="UTF-8">')}
<body class="post-template-default single single-post">
<div id="page" class="site">
<div class="top-bar"><span class="date-now">{date_txt}</span>
<div class="social-icons"><a href="https://facebook.com/">فيسبوك</a> <a href="https://t.me/">تيليجرام</a> <a href="https://youtube.com/">يوتيوب</a></div></div>
<div id="main-nav" class="menu-main-container"><ul id="menu-main" class="menu">
<li class="menu-item"><a href="{ORIGIN}/{o}/">الرئيسية</a></li><li class="menu-item"><a href="{ORIGIN}/{o}/category/arab/">عربي</a></li>
<li class="menu-item"><a href="{ORIGIN}/{o}/category/world/">دولي</a></li><li class="menu-item"><a href="{ORIGIN}/{o}/category/economy/">اقتصاد</a></li>
<li class="menu-item"><a href="{ORIGIN}/{o}/category/tech/">علوم وتكنولوجيا</a></li><li class="menu-item"><a href="{ORIGIN}/{o}/category/local/">محليات</a></li>
</ul></div>
<div id="content" class="site-content"><div id="primary" class="content-area">
<div class="breadcrumbs"><a href="{ORIGIN}/{o}/">الرئيسية</a> » <a href="{ORIGIN}/{o}/category/world/">دولي</a> » <span class="current">{E(art['title'])}</span></div>
<div class="post-header"><h1 class="entry-title">{E(art['title'])}</h1>
<div class="entry-meta"><span class="author vcard"><a class="url fn n" href="{ORIGIN}/{o}/author/editor/">{E(art['author'])}</a></span>
<span class="posted-on"><time class="entry-date published" datetime="{iso(art['date'])}">{date_txt}</time></span>
<span class="meta-views">1٬204 مشاهدة</span></div></div>
<div class="post-share"><a class="facebook" href="#">فيسبوك</a><a class="twitter" href="#">تويتر</a><a class="telegram" href="#">تيليجرام</a><a class="print" href="#">طباعة</a></div>
<div class="post-content entry-content">
{chr(10).join(body)}
</div>
<div class="post-share post-share-bottom"><span>شارك هذا المقال</span><a class="facebook" href="#">فيسبوك</a><a class="whatsapp" href="#">واتساب</a></div>
<div class="mc4wp-form"><h4>اشترك في القائمة البريدية</h4><p>أحلى الأخبار تصلك أولا بأول، سجل الآن في نشرتنا.</p>
<input type="email" name="EMAIL" placeholder="البريد الإلكتروني"><input type="submit" value="التسجيل"></div>
<div class="related-posts"><h3 class="block-title">مقالات ذات صلة</h3>
{rel}
</div>
<div id="comments" class="comments-area"><h3 class="comments-title">2 تعليقات</h3>
{com}
<div id="respond"><h3>اترك تعليقاً</h3><p class="comment-notes">لن يتم نشر عنوان بريدك الإلكتروني.</p><textarea></textarea></div></div>
</div>
<aside id="secondary" class="widget-area"><section class="widget"><h3 class="widget-title">الأكثر قراءة</h3>
<ul><li><a href="{ORIGIN}/{o}/">أسعار الذهب اليوم في الأسواق المحلية</a></li><li><a href="{ORIGIN}/{o}/">مواعيد مباريات اليوم والقنوات الناقلة</a></li></ul></section></aside>
</div>
<footer id="colophon" class="site-footer"><div class="footer-menu"><a href="{ORIGIN}/{o}/about">من نحن</a> | <a href="{ORIGIN}/{o}/ads">أعلن معنا</a> | <a href="{ORIGIN}/{o}/privacy">سياسة الخصوصية</a></div>
<div class="copyright">© 2025 المرصد الإخباري. جميع الحقوق محفوظة.</div></footer>
<a id="go-to-top" href="#"><span>زر الذهاب إلى الأعلى</span></a>
</div>
</body>
</html>
"""


def render_wasla(art, arts, rng):
    """JSON-LD NewsArticle with articleBody; the visible body is divs inside a <section>, with an ad slot."""
    o = art["outlet"]
    paras = []
    for i, (kind, text) in enumerate(art["blocks"]):
        if kind == "h":
            paras.append(f'<div class="c-subhead"><strong>{E(text)}</strong></div>')
        else:
            paras.append(f'<div class="c-text">{E(("– " if kind == "li" else "") + text)}</div>')
        if i == 3:
            paras.append('<div class="ad-slot" data-ad="inarticle">إعلان</div>')
        if i == 6 and arts:
            inline = related_for(art, arts, rng, 1)[0]
            paras.append(f'<div class="inline-related">اقرأ أيضا: <a href="{inline["url"]}">{E(inline["title"])}</a></div>')
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": art["title"],
        "description": art["summary"],
        "datePublished": iso(art["date"]),
        "dateModified": iso(art["date"] + timedelta(minutes=40)),
        "inLanguage": "ar",
        "mainEntityOfPage": art["url"],
        "author": {"@type": "Organization", "name": art["author"]},
        "publisher": {"@type": "Organization", "name": "الوصلة",
                      "logo": {"@type": "ImageObject", "url": f"{ORIGIN}/{o}/logo.png"}},
        "articleBody": "\n".join(text for _, text in art["blocks"]),
    }
    ld_text = json.dumps(ld, ensure_ascii=False, indent=1).replace("</", "<\\/")
    rel = "\n".join(
        f'<a class="card" href="{a["url"]}"><span class="card-title">{E(a["title"])}</span>'
        f'<span class="card-summary">{E(teaser(a, 10))}</span></a>'
        for a in related_for(art, arts, rng))
    com = "\n".join(
        f'<div class="cmt"><b>{E(n)}</b> <span>{E(t)}</span></div>' for n, t in comments_for(rng))
    date_txt = art["date"].strftime("%d/%m/%Y").translate(EASTERN)
    return f"""<!doctype html>
<html lang="ar" dir="rtl" class="no-js">
{head_meta(art, "الوصلة", '<meta charset="utf-8">')}
<body>
<script type="application/ld+json">
{ld_text}
</script>
<div class="app">
<div class="navbar"><a class="brand" href="{ORIGIN}/{o}/">الوصلة</a>
<div class="nav-links"><a href="{ORIGIN}/{o}/latest">آخر الأخبار</a><a href="{ORIGIN}/{o}/tech">تقنية</a><a href="{ORIGIN}/{o}/money">مال وأعمال</a><a href="{ORIGIN}/{o}/culture">ثقافة</a><a href="{ORIGIN}/{o}/live">مباشر</a></div>
<a class="btn-subscribe" href="{ORIGIN}/{o}/subscribe">اشترك</a></div>
<div class="crumbs"><a href="{ORIGIN}/{o}/">الوصلة</a> / <a href="{ORIGIN}/{o}/latest">آخر الأخبار</a></div>
<div class="layout">
<div class="main-col">
<div class="headline-block"><h1>{E(art['title'])}</h1>
<div class="dateline">{date_txt} · <span class="by">{E(art['author'])}</span> · قراءة 4 د</div></div>
<div class="sharing"><button data-net="fb">فيسبوك</button><button data-net="x">إكس</button><button data-net="tg">تيليجرام</button><button data-net="copy">نسخ</button></div>
<section class="c-article" itemprop="articleBody">
{chr(10).join(paras)}
</section>
<div class="c-source">المصدر: الوصلة + وكالات</div>
<div class="nl-box"><div class="nl-title">نشرة الوصلة الصباحية</div><div class="nl-text">ملخص يومي لأهم الأخبار في بريدك قبل الثامنة صباحا.</div>
<input type="email" placeholder="name@example.com"><button>سجل الآن</button></div>
<div class="more-stories"><div class="more-title">مقالات ذات صلة</div>
{rel}
</div>
<div class="comments-box"><div class="cbox-title">آراء القراء</div>
{com}
<div class="cbox-note">إحرص أن يكون تعليقك موضوعيا ومفيدا، واحترم الكاتب والقراء.</div></div>
</div>
<div class="side-col"><div class="widget-trending"><div class="wt">الأكثر تداولا</div>
<a href="{ORIGIN}/{o}/latest">سعر صرف الدولار اليوم</a><a href="{ORIGIN}/{o}/latest">حالة الطقس غدا</a></div></div>
</div>
<div class="footer"><div class="f-links"><a href="{ORIGIN}/{o}/about">عن الوصلة</a><a href="{ORIGIN}/{o}/terms">شروط الاستخدام</a><a href="{ORIGIN}/{o}/feed.json">JSON Feed</a></div>
<div class="f-copy">حقوق النشر © 2025 الوصلة. يمنع النسخ دون إذن.</div>
<div class="to-top" role="button">زر الذهاب إلى الأعلى</div></div>
</div>
</body>
</html>
"""


def render_sada(art, arts, rng):
    """Old table layout in windows-1256: the body is one <td class="maintext"> with <br><br> breaks."""
    o = art["outlet"]
    chunks = []
    for kind, text in art["blocks"]:
        if kind == "h":
            chunks.append(f"<b>{E(text)}</b>")
        elif kind == "li":
            chunks.append(f"* {E(text)}")
        else:
            chunks.append(E(text))
    rel = "<br>\n".join(
        f'<a href="{a["url"]}" class="rel">{E(a["title"])}</a> <font size="1">{E(teaser(a, 10))}</font>'
        for a in related_for(art, arts, rng))
    com = "\n".join(
        f'<tr><td class="cmtname">{E(n)}</td><td class="cmttext">{E(t)}</td></tr>' for n, t in comments_for(rng))
    date_txt = art["date"].strftime("%Y-%m-%d")
    charset = ('<meta charset="windows-1256">\n'
               '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">')
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html lang="ar" dir="rtl">
{head_meta(art, "صدى الخليج", charset)}
<body bgcolor="#FFFFFF" topmargin="0">
<table width="980" align="center" cellpadding="0" cellspacing="0" border="0">
<tr><td class="header" colspan="2"><a href="{ORIGIN}/{o}/"><img src="{ORIGIN}/{o}/images/logo.gif" alt="صدى الخليج"></a></td></tr>
<tr><td class="menu" colspan="2">
<a href="{ORIGIN}/{o}/">الرئيسية</a> | <a href="{ORIGIN}/{o}/local.html">محليات</a> | <a href="{ORIGIN}/{o}/gulf.html">خليجيات</a> |
<a href="{ORIGIN}/{o}/world.html">دوليات</a> | <a href="{ORIGIN}/{o}/economy.html">اقتصاد</a> | <a href="{ORIGIN}/{o}/sport.html">رياضة</a> | <a href="{ORIGIN}/{o}/archive.html">الأرشيف</a>
</td></tr>
<tr><td class="path" colspan="2">أنت هنا: <a href="{ORIGIN}/{o}/">الرئيسية</a> &gt; <a href="{ORIGIN}/{o}/world.html">دوليات</a></td></tr>
<tr>
<td width="720" valign="top">
<table width="100%" cellpadding="6"><tr><td class="newstitle"><font size="5"><b>{E(art['title'])}</b></font></td></tr>
<tr><td class="newsdate">{date_txt} - {E(art['author'])} - عدد القراءات: 873</td></tr>
<tr><td class="tools"><a href="#">طباعة</a> | <a href="#">أرسل لصديق</a> | <a href="#">تكبير الخط</a> | <a href="#">تصغير الخط</a></td></tr>
<tr><td class="maintext" align="justify">
{("<br><br>" + chr(10)).join(chunks)}
</td></tr>
<tr><td class="share">شارك الخبر: <a href="#">فيسبوك</a> - <a href="#">تويتر</a> - <a href="#">واتساب</a></td></tr>
<tr><td class="relhead"><b>أخبار ذات صلة</b></td></tr>
<tr><td class="relbox">
{rel}
</td></tr>
<tr><td class="cmthead"><b>تعليقات الزوار</b></td></tr>
<tr><td><table class="comments" width="100%">
{com}
</table></td></tr>
<tr><td class="cmtnote">الآراء الواردة في التعليقات تعبر عن أصحابها فقط.</td></tr>
</table>
</td>
<td width="260" valign="top" class="sidebar">
<div class="box"><b>القائمة البريدية</b><br>سجل بريدك ليصلك جديد الأخبار<br>
<form><input type="text" name="email" size="20"><input type="submit" value="اشتراك"></form></div>
<div class="box"><b>استطلاع الرأي</b><br>هل تتابع الأخبار عبر الهاتف؟<br>نعم - لا</div>
</td></tr>
<tr><td class="footer" colspan="2" align="center">
<a href="{ORIGIN}/{o}/about.html">عن الموقع</a> | <a href="{ORIGIN}/{o}/contact.html">راسلنا</a> | <a href="{ORIGIN}/{o}/rss.xml">خدمة RSS</a><br>
جميع الحقوق محفوظة لصحيفة صدى الخليج 2025 ©<br>
<a href="#" class="gotop">زر الذهاب إلى الأعلى</a>
</td></tr>
</table>
</body>
</html>
"""


RENDER = {"nabaa": render_nabaa, "marsad": render_marsad, "wasla": render_wasla, "sada": render_sada}

# ---------------------------------------------------------------------------------------------
# Feeds.
# ---------------------------------------------------------------------------------------------


def rfc822(date):
    return date.strftime("%a, %d %b %Y %H:%M:%S +0000")


def feed_rss(outlet_id, outlet, arts, encoding):
    items = []
    for a in arts:
        cat = "تكنولوجيا" if a["story"] in SEEDS else "محليات"
        if encoding == "utf-8":
            desc = f"<description>{E(a['summary'])}</description>"
        else:
            desc = f"<description><![CDATA[<p>{a['summary']}</p>]]></description>"
        items.append(f"""<item>
<title>{E(a['title'])}</title>
<link>{a['url']}</link>
<guid isPermaLink="true">{a['url']}</guid>
<pubDate>{rfc822(a['date'])}</pubDate>
<dc:creator>{E(a['author'])}</dc:creator>
<category>{cat}</category>
{desc}
</item>""")
    newest = max(a["date"] for a in arts)
    return f"""<?xml version="1.0" encoding="{encoding}"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>{E(outlet['name'])}</title>
<link>{ORIGIN}/{outlet_id}/</link>
<atom:link href="{ORIGIN}/{outlet_id}/{outlet['feed']}" rel="self" type="application/rss+xml"/>
<description>آخر أخبار {E(outlet['name'])}</description>
<language>ar</language>
<lastBuildDate>{rfc822(newest)}</lastBuildDate>
<ttl>15</ttl>
{chr(10).join(items)}
</channel>
</rss>
"""


def feed_atom(outlet_id, outlet, arts):
    entries = []
    for a in arts:
        local = a["date"].astimezone(timezone(timedelta(hours=3)))
        stamp = local.strftime("%Y-%m-%dT%H:%M:%S+03:00")
        entries.append(f"""<entry>
<id>tag:marsad.example,2025:{a['slug']}</id>
<title type="text">{E(a['title'])}</title>
<link rel="alternate" type="text/html" href="{a['url']}"/>
<published>{stamp}</published>
<updated>{stamp}</updated>
<author><name>{E(a['author'])}</name></author>
<summary type="html">{E('<p>' + E(a['summary']) + '</p>')}</summary>
</entry>""")
    newest = max(a["date"] for a in arts).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar">
<id>tag:marsad.example,2025:feed</id>
<title>{E(outlet['name'])}</title>
<subtitle>أخبار عربية ودولية على مدار الساعة</subtitle>
<link rel="alternate" type="text/html" href="{ORIGIN}/{outlet_id}/"/>
<link rel="self" type="application/atom+xml" href="{ORIGIN}/{outlet_id}/{outlet['feed']}"/>
<updated>{newest}</updated>
{chr(10).join(entries)}
</feed>
"""


def feed_json(outlet_id, outlet, arts):
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": outlet["name"],
        "home_page_url": f"{ORIGIN}/{outlet_id}/",
        "feed_url": f"{ORIGIN}/{outlet_id}/{outlet['feed']}",
        "language": "ar",
        "items": [
            {
                "id": f"wasla-{a['slug']}",
                "url": a["url"],
                "title": a["title"],
                "summary": a["summary"],
                "content_text": a["summary"],
                "date_published": iso(a["date"]),
                "authors": [{"name": a["author"]}],
                "tags": ["أخبار"],
            }
            for a in arts
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------------------------------
# Main.
# ---------------------------------------------------------------------------------------------


def write(path, text, encoding="utf-8"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))


def build():
    rng = random.Random(RANDOM_SEED)
    if SITE.exists():
        shutil.rmtree(SITE)
    SITE.mkdir(parents=True)
    all_arts = []
    feeds = []
    for outlet_id, outlet in OUTLETS.items():
        arts = [build_copy(outlet_id, outlet, c, rng) for c in outlet["copies"]]
        arts.sort(key=lambda a: a["date"], reverse=True)
        enc = outlet["charset"]
        for a in arts:
            write(SITE / outlet_id / f"{a['slug']}.html", RENDER[outlet_id](a, arts, rng), enc)
        if outlet["feed"] == "atom.xml":
            feed = feed_atom(outlet_id, outlet, arts)
        elif outlet["feed"] == "feed.json":
            feed = feed_json(outlet_id, outlet, arts)
        else:
            feed = feed_rss(outlet_id, outlet, arts, enc)
        write(SITE / outlet_id / outlet["feed"], feed, enc)
        if enc != "utf-8":
            (SITE / outlet_id / ".charset").write_bytes(enc.encode("ascii"))
        feeds.append(f"/{outlet_id}/{outlet['feed']}")
        all_arts.extend(arts)

    write(SITE / "feeds.txt", "\n".join(feeds) + "\n")
    stories = list(SEEDS) + list(SINGLES)
    clusters = [sorted(a["path"] for a in all_arts if a["story"] == s) for s in stories]
    clusters = [c for c in clusters if c]
    lines = ",\n".join("  " + json.dumps(c) for c in clusters)
    write(SITE / "expected-clusters.json", "[\n" + lines + "\n]\n")

    links = "\n".join(
        f'<li><a href="{ORIGIN}/{oid}/{o["feed"]}">{E(o["name"])}</a> — {E(o["format"])}</li>'
        for oid, o in OUTLETS.items())
    write(SITE / "index.html", f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head><meta charset="utf-8"><title>Sift — موقع العرض التجريبي</title></head>
<body>
<h1>موقع العرض التجريبي</h1>
<p>أربعة مواقع إخبارية محاكاة تعيد نشر القصص نفسها بصياغات وإملاءات مختلفة.</p>
<ul>
{links}
</ul>
</body>
</html>
""")
    return all_arts, clusters


# ---------------------------------------------------------------------------------------------
# Checks.
# ---------------------------------------------------------------------------------------------


def normalize(text):
    text = TASHKEEL.sub("", text).replace("ـ", "")
    text = text.translate(str.maketrans("أإآٱىةؤئ٠١٢٣٤٥٦٧٨٩", "اااايهوي0123456789"))
    return re.findall(r"[\w]+", text.lower())


def shingles(words, k=5):
    return {" ".join(words[i:i + k]) for i in range(max(1, len(words) - k + 1))}


class TagBalance(HTMLParser):
    """Reports end tags that do not close the innermost open element."""

    VOID = {"meta", "link", "img", "input", "br", "hr"}

    def __init__(self):
        super().__init__()
        self.stack, self.errors = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        else:
            self.errors.append(f"</{tag}> at line {self.getpos()[0]}")


def check(all_arts, clusters):
    problems = []
    for outlet_id, outlet in OUTLETS.items():
        for p in sorted((SITE / outlet_id).glob("*.html")):
            parser = TagBalance()
            parser.feed(p.read_bytes().decode(outlet["charset"]))
            parser.close()
            if parser.errors or parser.stack:
                problems.append(f"{p}: unbalanced tags {parser.errors[:3]} {parser.stack}")
    for outlet_id, outlet in OUTLETS.items():
        raw = (SITE / outlet_id / outlet["feed"]).read_bytes()
        if outlet["feed"].endswith(".json"):
            doc = json.loads(raw.decode("utf-8"))
            links = [item["url"] for item in doc["items"]]
        else:
            enc = outlet["charset"]
            text = raw.decode(enc)
            doc = xml.dom.minidom.parseString(text.replace(f'encoding="{enc}"', 'encoding="utf-8"').encode("utf-8"))
            xml.dom.minidom.parseString(raw)  # expat decoding the declared charset itself
            if doc.getElementsByTagName("feed"):
                links = [ln.getAttribute("href") for ln in doc.getElementsByTagName("link")
                         if ln.getAttribute("rel") == "alternate" and ln.parentNode.tagName == "entry"]
            else:
                links = [ln.firstChild.data for ln in doc.getElementsByTagName("link")
                         if ln.parentNode.tagName == "item"]
        for link in links:
            path = link.removeprefix(ORIGIN)
            if not (SITE / path.lstrip("/")).is_file():
                problems.append(f"{outlet_id}: feed link without a page: {link}")
        print(f"{outlet_id:7} {outlet['format']:24} {len(links)} entries")
    pages = sorted("/" + str(p.relative_to(SITE)) for p in SITE.glob("*/*.html"))
    covered = sorted(p for c in clusters for p in c)
    if pages != covered:
        problems.append(f"expected-clusters.json does not cover every page exactly once: {pages} vs {covered}")
    for p in SITE.glob("sada/*.html"):
        text = p.read_bytes().decode("cp1256")
        if "windows-1256" not in text:
            problems.append(f"{p}: no charset declaration")
    return problems


def similarity_report(all_arts):
    docs = {a["path"]: (a["story"], shingles(normalize(" ".join(t for _, t in a["blocks"])))) for a in all_arts}
    same, diff = [], []
    paths = sorted(docs)
    for i, p in enumerate(paths):
        for q in paths[i + 1:]:
            (sp, a), (sq, b) = docs[p], docs[q]
            j = len(a & b) / len(a | b)
            (same if sp == sq else diff).append((j, p, q))
    print("\nsame story, lowest Jaccard (5-shingles):")
    for j, p, q in sorted(same)[:6]:
        print(f"  {j:.2f}  {p}  {q}")
    print("different stories, highest Jaccard:")
    for j, p, q in sorted(diff, key=lambda t: -t[0])[:6]:
        print(f"  {j:.2f}  {p}  {q}")


def main():
    all_arts, clusters = build()
    total = sum(p.stat().st_size for p in SITE.rglob("*") if p.is_file())
    print(f"wrote {len(all_arts)} pages, {len(clusters)} stories, {total // 1024} KB under {SITE}")
    for c in clusters:
        story = next(a["story"] for a in all_arts if a["path"] == c[0])
        print(f"  {story:10} {len(c)}  {' '.join(c)}")
    if "--check" in sys.argv:
        problems = check(all_arts, clusters)
        similarity_report(all_arts)
        for p in problems:
            print("PROBLEM:", p)
        if problems:
            sys.exit(1)
        print("checks passed")


if __name__ == "__main__":
    main()
