"""Deterministic demo data: organizations, interactions between them, demo users.

Everything is plain Python (no Flask, no database). The same ``seed`` always
gives the same output; organization ``key`` values are slugs of the names, so
loaders can upsert by key. Organizations that demo users belong to (see
:data:`DEMO_USERS`) keep the same key for every seed.

Descriptions are composed from per-locale templates. To keep the grammar right
without declension tables, lists of services, industries, markets and languages
go where every language can take them in their dictionary form (after a colon,
in parentheses, or where the grammar wants the nominative anyway).
"""

from __future__ import annotations

import random
import re
import unicodedata
from functools import cache

from babel import Locale

from matchmaker.reference import (
    demonstration_cities,
    market_groups,
    service_categories,
)

__all__ = ["DEMO_USERS", "TEXT_LOCALES", "demo_interactions", "demo_organizations"]

TEXT_LOCALES = ("en", "zh_Hans", "ar", "ru", "es", "fr")
# Profile language (ISO 639-1) -> description locale.
_LANGUAGE_LOCALE = {"en": "en", "zh": "zh_Hans", "ar": "ar", "ru": "ru", "es": "es", "fr": "fr"}

# ---------------------------------------------------------------------------
# Demo users
# ---------------------------------------------------------------------------

DEMO_USERS: list[dict] = [
    {
        "email": "admin@matchmaker.example",
        "password": "demo-admin-2026",
        "role": "admin",
        "display_name": "Alex Morgan",
        "org_key": None,
        "locale": "en",
    },
    {
        "email": "organizer@matchmaker.example",
        "password": "demo-organizer-2026",
        "role": "organizer",
        "display_name": "Chen Jing",
        "org_key": None,
        "locale": "en",
    },
    {
        "email": "provider@matchmaker.example",
        "password": "demo-provider-2026",
        "role": "member",
        "display_name": "Zhang Wei",
        "org_key": "dalian-haixin-software",
        "locale": "en",
    },
    {
        "email": "buyer@matchmaker.example",
        "password": "demo-buyer-2026",
        "role": "member",
        "display_name": "Katrin Weber",
        "org_key": "nordlicht-versicherung-ag",
        "locale": "en",
    },
    {
        "email": "provider-zh@matchmaker.example",
        "password": "demo-provider-zh-2026",
        "role": "member",
        "display_name": "刘洋",
        "org_key": "chengdu-tianfu-data-services",
        "locale": "zh_Hans",
    },
    {
        "email": "buyer-ar@matchmaker.example",
        "password": "demo-buyer-ar-2026",
        "role": "member",
        "display_name": "ليلى المنصوري",
        "org_key": "gulf-logistics-holding",
        "locale": "ar",
    },
    {
        "email": "buyer-ru@matchmaker.example",
        "password": "demo-buyer-ru-2026",
        "role": "member",
        "display_name": "Айгерим Сапарова",
        "org_key": "steppe-telecom",
        "locale": "ru",
    },
    {
        "email": "buyer-es@matchmaker.example",
        "password": "demo-buyer-es-2026",
        "role": "member",
        "display_name": "Lucía Paredes",
        "org_key": "andes-seguros-del-peru",
        "locale": "es",
    },
    {
        "email": "buyer-fr@matchmaker.example",
        "password": "demo-buyer-fr-2026",
        "role": "member",
        "display_name": "Claire Dubois",
        "org_key": "groupe-meridien-assurances",
        "locale": "fr",
    },
]

# ---------------------------------------------------------------------------
# Labels in the six description locales
# ---------------------------------------------------------------------------

# Service names in ru, ar, es, fr (en and zh come from service_categories.csv).
_SERVICE_L10N: dict[str, tuple[str, str, str, str]] = {
    # code: (ru, ar, es, fr)
    "ito.software_rd": (
        "разработка программного обеспечения",
        "تطوير البرمجيات",
        "desarrollo de software",
        "développement logiciel",
    ),
    "ito.it_rd_services": (
        "исследования и разработки в области ИТ",
        "خدمات البحث والتطوير في تقنية المعلومات",
        "servicios de I+D en tecnologías de la información",
        "services de R&D informatique",
    ),
    "ito.is_operation_maintenance": (
        "эксплуатация и сопровождение информационных систем",
        "تشغيل أنظمة المعلومات وصيانتها",
        "operación y mantenimiento de sistemas de información",
        "exploitation et maintenance de systèmes d'information",
    ),
    "ito.ic_circuit_design": (
        "проектирование интегральных и электронных схем",
        "تصميم الدوائر المتكاملة والدوائر الإلكترونية",
        "diseño de circuitos integrados y electrónicos",
        "conception de circuits intégrés et électroniques",
    ),
    "ito.cloud_computing": (
        "облачные сервисы",
        "خدمات الحوسبة السحابية",
        "servicios de computación en la nube",
        "services d'informatique en nuage",
    ),
    "ito.it_solutions": (
        "ИТ-решения",
        "حلول تقنية المعلومات",
        "soluciones de TI",
        "solutions informatiques",
    ),
    "ito.ai_services": (
        "услуги в области искусственного интеллекта",
        "خدمات الذكاء الاصطناعي",
        "servicios de inteligencia artificial",
        "services d'intelligence artificielle",
    ),
    "bpo.process_design": (
        "проектирование бизнес-процессов",
        "تصميم العمليات التجارية",
        "diseño de procesos de negocio",
        "conception de processus métier",
    ),
    "bpo.internal_management": (
        "услуги внутреннего управления предприятием",
        "خدمات الإدارة الداخلية للمؤسسات",
        "servicios de gestión interna empresarial",
        "services de gestion interne d'entreprise",
    ),
    "bpo.business_operations": (
        "операционные услуги для бизнеса",
        "خدمات تشغيل الأعمال",
        "servicios de operaciones de negocio",
        "services d'opérations métier",
    ),
    "bpo.supply_chain_management": (
        "управление цепочками поставок",
        "إدارة سلاسل الإمداد",
        "gestión de la cadena de suministro",
        "gestion de la chaîne logistique",
    ),
    "bpo.data_processing": (
        "обработка бизнес-данных",
        "معالجة بيانات الأعمال",
        "procesamiento de datos empresariales",
        "traitement des données d'entreprise",
    ),
    "bpo.call_center": (
        "услуги колл-центра",
        "خدمات مراكز الاتصال",
        "servicios de centro de llamadas",
        "services de centre d'appels",
    ),
    "bpo.finance_tax": (
        "финансово-бухгалтерское и налоговое сопровождение",
        "المعالجة المالية والمحاسبية والضريبية",
        "gestión financiera, contable y fiscal",
        "traitement financier, comptable et fiscal",
    ),
    "bpo.human_resources": (
        "кадровые услуги",
        "خدمات الموارد البشرية",
        "servicios de recursos humanos",
        "services de ressources humaines",
    ),
    "bpo.internet_marketing": (
        "интернет-маркетинг и продвижение",
        "التسويق والترويج عبر الإنترنت",
        "marketing y promoción en internet",
        "marketing et promotion en ligne",
    ),
    "bpo.financial_back_office": (
        "бэк-офис для финансовых организаций",
        "خدمات المكاتب الخلفية المالية",
        "servicios de back office financiero",
        "services de back-office financier",
    ),
    "kpo.pharma_biotech_rd": (
        "фармацевтические и биотехнологические исследования",
        "البحث والتطوير في مجالي الأدوية والتقنية الحيوية",
        "I+D farmacéutica y biotecnológica",
        "R&D pharmaceutique et biotechnologique",
    ),
    "kpo.testing_inspection": (
        "испытания и инспекция",
        "خدمات الفحص والاختبار",
        "servicios de ensayo e inspección",
        "services d'essais et d'inspection",
    ),
    "kpo.management_consulting": (
        "управленческий консалтинг",
        "الاستشارات الإدارية",
        "consultoría de gestión",
        "conseil en management",
    ),
    "kpo.industrial_design": (
        "промышленный дизайн",
        "التصميم الصناعي",
        "diseño industrial",
        "design industriel",
    ),
    "kpo.engineering_design": (
        "инженерное проектирование",
        "التصميم الهندسي",
        "diseño de ingeniería",
        "études d'ingénierie",
    ),
    "kpo.service_design": (
        "сервис-дизайн",
        "تصميم الخدمات",
        "diseño de servicios",
        "design de services",
    ),
    "kpo.decision_analysis": (
        "аналитика для принятия решений",
        "التحليلات الداعمة لاتخاذ القرار",
        "análisis para la toma de decisiones",
        "analyse d'aide à la décision",
    ),
    "kpo.scientific_research": (
        "научные исследования",
        "البحث العلمي",
        "investigación científica",
        "recherche scientifique",
    ),
    "kpo.integrated_solutions": (
        "комплексные решения",
        "الحلول المتكاملة",
        "soluciones integrales",
        "solutions intégrées",
    ),
    "kpo.legal_services": (
        "аутсорсинг юридических услуг",
        "الاستعانة بمصادر خارجية في الخدمات القانونية",
        "externalización de servicios jurídicos",
        "externalisation de services juridiques",
    ),
}

# Industry names in lists, per locale. fr carries its article (for "de la finance").
_INDUSTRY_L10N: dict[str, dict[str, str]] = {
    "finance": {
        "en": "finance",
        "zh_Hans": "金融",
        "ar": "الخدمات المالية",
        "ru": "финансы",
        "es": "finanzas",
        "fr": "la finance",
    },
    "insurance": {
        "en": "insurance",
        "zh_Hans": "保险",
        "ar": "التأمين",
        "ru": "страхование",
        "es": "seguros",
        "fr": "l'assurance",
    },
    "healthcare": {
        "en": "healthcare",
        "zh_Hans": "医疗健康",
        "ar": "الرعاية الصحية",
        "ru": "здравоохранение",
        "es": "salud",
        "fr": "la santé",
    },
    "pharma": {
        "en": "pharmaceuticals",
        "zh_Hans": "医药",
        "ar": "الصناعات الدوائية",
        "ru": "фармацевтика",
        "es": "industria farmacéutica",
        "fr": "l'industrie pharmaceutique",
    },
    "retail": {
        "en": "retail",
        "zh_Hans": "零售",
        "ar": "تجارة التجزئة",
        "ru": "розничная торговля",
        "es": "comercio minorista",
        "fr": "le commerce de détail",
    },
    "ecommerce": {
        "en": "e-commerce",
        "zh_Hans": "电子商务",
        "ar": "التجارة الإلكترونية",
        "ru": "электронная коммерция",
        "es": "comercio electrónico",
        "fr": "le commerce en ligne",
    },
    "manufacturing": {
        "en": "manufacturing",
        "zh_Hans": "制造",
        "ar": "الصناعة التحويلية",
        "ru": "промышленное производство",
        "es": "industria manufacturera",
        "fr": "l'industrie manufacturière",
    },
    "automotive": {
        "en": "automotive",
        "zh_Hans": "汽车",
        "ar": "صناعة السيارات",
        "ru": "автомобильная промышленность",
        "es": "automoción",
        "fr": "l'industrie automobile",
    },
    "logistics": {
        "en": "logistics",
        "zh_Hans": "物流",
        "ar": "الخدمات اللوجستية",
        "ru": "логистика",
        "es": "logística",
        "fr": "la logistique",
    },
    "telecom": {
        "en": "telecommunications",
        "zh_Hans": "电信",
        "ar": "الاتصالات",
        "ru": "телекоммуникации",
        "es": "telecomunicaciones",
        "fr": "les télécommunications",
    },
    "energy": {
        "en": "energy",
        "zh_Hans": "能源",
        "ar": "الطاقة",
        "ru": "энергетика",
        "es": "energía",
        "fr": "l'énergie",
    },
    "government": {
        "en": "government",
        "zh_Hans": "政务",
        "ar": "الخدمات الحكومية",
        "ru": "государственный сектор",
        "es": "sector público",
        "fr": "le secteur public",
    },
    "education": {
        "en": "education",
        "zh_Hans": "教育",
        "ar": "التعليم",
        "ru": "образование",
        "es": "educación",
        "fr": "l'éducation",
    },
    "media": {
        "en": "media",
        "zh_Hans": "传媒",
        "ar": "الإعلام",
        "ru": "медиа",
        "es": "medios de comunicación",
        "fr": "les médias",
    },
    "travel": {
        "en": "travel",
        "zh_Hans": "旅游",
        "ar": "السياحة والسفر",
        "ru": "туризм",
        "es": "turismo",
        "fr": "le tourisme",
    },
    "agriculture": {
        "en": "agriculture",
        "zh_Hans": "农业",
        "ar": "الزراعة",
        "ru": "сельское хозяйство",
        "es": "agricultura",
        "fr": "l'agriculture",
    },
}

# What a buyer is, by its main industry: en noun with article, zh noun,
# ru genitive (after "в сфере"), es sector with article (after "opera en").
_BUYER_NOUNS: dict[str, tuple[str, str, str, str]] = {
    "finance": (
        "a financial services firm",
        "金融服务机构",
        "финансовых услуг",
        "el sector financiero",
    ),
    "insurance": ("an insurer", "保险公司", "страхования", "el sector asegurador"),
    "healthcare": (
        "a healthcare provider",
        "医疗健康机构",
        "здравоохранения",
        "el sector sanitario",
    ),
    "pharma": ("a pharmaceutical company", "制药企业", "фармацевтики", "la industria farmacéutica"),
    "retail": ("a retailer", "零售企业", "розничной торговли", "el comercio minorista"),
    "ecommerce": (
        "an online retailer",
        "电商企业",
        "электронной коммерции",
        "el comercio electrónico",
    ),
    "manufacturing": (
        "a manufacturer",
        "制造企业",
        "промышленного производства",
        "la industria manufacturera",
    ),
    "automotive": (
        "an automotive supplier",
        "汽车零部件企业",
        "автомобильной промышленности",
        "el sector de la automoción",
    ),
    "logistics": ("a logistics company", "物流企业", "логистики", "el sector logístico"),
    "telecom": ("a telecom operator", "电信运营商", "телекоммуникаций", "las telecomunicaciones"),
    "energy": ("an energy company", "能源企业", "энергетики", "el sector energético"),
    "government": (
        "a public-sector services company",
        "政务服务企业",
        "государственных услуг",
        "el sector público",
    ),
    "education": ("an education provider", "教育机构", "образования", "el sector educativo"),
    "media": ("a media company", "传媒企业", "медиа", "los medios de comunicación"),
    "travel": ("a travel and hospitality company", "旅游企业", "туризма", "el sector turístico"),
    "agriculture": ("an agribusiness", "农业企业", "сельского хозяйства", "el sector agrícola"),
}

_MARKET_L10N: dict[str, dict[str, str]] = {
    "china": {
        "en": "China",
        "zh_Hans": "中国市场",
        "ar": "الصين",
        "ru": "Китай",
        "es": "China",
        "fr": "Chine",
    },
    "developed": {
        "en": "developed markets",
        "zh_Hans": "发达经济体市场",
        "ar": "الأسواق المتقدمة",
        "ru": "развитые рынки",
        "es": "mercados desarrollados",
        "fr": "marchés développés",
    },
    "belt_and_road": {
        "en": "Belt and Road countries",
        "zh_Hans": "共建“一带一路”国家",
        "ar": "دول مبادرة الحزام والطريق",
        "ru": "страны «Пояса и пути»",
        "es": "países de la Franja y la Ruta",
        "fr": "pays des Nouvelles Routes de la soie",
    },
    "other": {
        "en": "other emerging markets",
        "zh_Hans": "其他新兴市场",
        "ar": "أسواق ناشئة أخرى",
        "ru": "другие развивающиеся рынки",
        "es": "otros mercados emergentes",
        "fr": "autres marchés émergents",
    },
}

_CERT_L10N: dict[str, dict[str, str]] = {
    "cmmi_3": {
        "en": "CMMI Level 3",
        "zh_Hans": "CMMI 3级",
        "ar": "CMMI المستوى 3",
        "ru": "CMMI уровня 3",
        "es": "CMMI nivel 3",
        "fr": "CMMI niveau 3",
    },
    "cmmi_5": {
        "en": "CMMI Level 5",
        "zh_Hans": "CMMI 5级",
        "ar": "CMMI المستوى 5",
        "ru": "CMMI уровня 5",
        "es": "CMMI nivel 5",
        "fr": "CMMI niveau 5",
    },
    "iso_9001": dict.fromkeys(TEXT_LOCALES, "ISO 9001"),
    "iso_27001": dict.fromkeys(TEXT_LOCALES, "ISO/IEC 27001"),
    "iso_20000": dict.fromkeys(TEXT_LOCALES, "ISO/IEC 20000"),
    "iso_27701": dict.fromkeys(TEXT_LOCALES, "ISO/IEC 27701"),
    "soc_2": dict.fromkeys(TEXT_LOCALES, "SOC 2"),
    "pci_dss": dict.fromkeys(TEXT_LOCALES, "PCI DSS"),
}

_NBSP = "\u00a0"

_SIZE_L10N: dict[str, dict[str, str]] = {
    "1-9": {"en": "1–9", "zh_Hans": "1–9人", "ar": "1–9", "ru": "1–9", "es": "1–9", "fr": "1 à 9"},
    "10-49": {
        "en": "10–49",
        "zh_Hans": "10–49人",
        "ar": "10–49",
        "ru": "10–49",
        "es": "10–49",
        "fr": "10 à 49",
    },
    "50-249": {
        "en": "50–249",
        "zh_Hans": "50–249人",
        "ar": "50–249",
        "ru": "50–249",
        "es": "50–249",
        "fr": "50 à 249",
    },
    "250-999": {
        "en": "250–999",
        "zh_Hans": "250–999人",
        "ar": "250–999",
        "ru": "250–999",
        "es": "250–999",
        "fr": "250 à 999",
    },
    "1000-4999": {
        "en": "1,000–4,999",
        "zh_Hans": "1000–4999人",
        "ar": "1000–4999",
        "ru": "1000–4999",
        "es": "1000–4999",
        "fr": f"1{_NBSP}000 à 4{_NBSP}999",
    },
    "5000+": {
        "en": "5,000+",
        "zh_Hans": "5000人以上",
        "ar": "أكثر من 5000",
        "ru": "более 5000",
        "es": "más de 5000",
        "fr": f"plus de 5{_NBSP}000",
    },
}

_BUDGET_L10N: dict[str, dict[str, str]] = {
    "lt_50k": {
        "en": "under USD 50,000",
        "zh_Hans": "5万美元以下",
        "ar": "أقل من 50 ألف دولار أمريكي",
        "ru": "до 50 тыс. долларов США",
        "es": "menos de 50 000 USD",
        "fr": f"moins de 50{_NBSP}000 USD",
    },
    "50k_250k": {
        "en": "USD 50,000–250,000",
        "zh_Hans": "5万–25万美元",
        "ar": "من 50 ألفًا إلى 250 ألف دولار أمريكي",
        "ru": "50–250 тыс. долларов США",
        "es": "entre 50 000 y 250 000 USD",
        "fr": f"de 50{_NBSP}000 à 250{_NBSP}000 USD",
    },
    "250k_1m": {
        "en": "USD 250,000–1 million",
        "zh_Hans": "25万–100万美元",
        "ar": "من 250 ألفًا إلى مليون دولار أمريكي",
        "ru": "от 250 тыс. до 1 млн долларов США",
        "es": "entre 250 000 USD y 1 millón de USD",
        "fr": f"de 250{_NBSP}000 USD à 1 million USD",
    },
    "1m_5m": {
        "en": "USD 1–5 million",
        "zh_Hans": "100万–500万美元",
        "ar": "من مليون إلى 5 ملايين دولار أمريكي",
        "ru": "1–5 млн долларов США",
        "es": "entre 1 y 5 millones de USD",
        "fr": "de 1 à 5 millions USD",
    },
    "gt_5m": {
        "en": "over USD 5 million",
        "zh_Hans": "500万美元以上",
        "ar": "أكثر من 5 ملايين دولار أمريكي",
        "ru": "более 5 млн долларов США",
        "es": "más de 5 millones de USD",
        "fr": "plus de 5 millions USD",
    },
}

# Why a buyer outsources: an infinitive (en, ru, es, fr), a verb phrase (zh)
# and a verbal noun (ar, after "بهدف").
_MOTIVES: dict[str, dict[str, str]] = {
    "digital": {
        "en": "speed up delivery of our digital products",
        "zh_Hans": "加快数字产品的交付",
        "ar": "تسريع إطلاق منتجاتنا الرقمية",
        "ru": "ускорить выпуск наших цифровых продуктов",
        "es": "acelerar el lanzamiento de nuestros productos digitales",
        "fr": "accélérer la livraison de nos produits numériques",
    },
    "modernise": {
        "en": "modernise our core systems",
        "zh_Hans": "推进核心系统的现代化改造",
        "ar": "تحديث أنظمتنا الأساسية",
        "ru": "модернизировать наши ключевые информационные системы",
        "es": "modernizar nuestros sistemas centrales",
        "fr": "moderniser nos systèmes centraux",
    },
    "cloud": {
        "en": "move our workloads to the cloud",
        "zh_Hans": "将业务系统迁移上云",
        "ar": "نقل أنظمتنا إلى السحابة",
        "ru": "перенести наши системы в облако",
        "es": "migrar nuestros sistemas a la nube",
        "fr": "migrer nos systèmes vers le cloud",
    },
    "ai": {
        "en": "bring AI into our daily operations",
        "zh_Hans": "将人工智能引入日常运营",
        "ar": "إدخال الذكاء الاصطناعي في عملياتنا اليومية",
        "ru": "внедрить искусственный интеллект в повседневную работу",
        "es": "incorporar la inteligencia artificial a nuestras operaciones",
        "fr": "intégrer l'intelligence artificielle à nos opérations",
    },
    "uptime": {
        "en": "keep our systems running around the clock",
        "zh_Hans": "保障系统全天候稳定运行",
        "ar": "ضمان تشغيل أنظمتنا على مدار الساعة",
        "ru": "обеспечить круглосуточную работу наших систем",
        "es": "mantener nuestros sistemas en funcionamiento las 24 horas",
        "fr": "assurer le fonctionnement de nos systèmes 24 h sur 24",
    },
    "chips": {
        "en": "add design capacity for our next generation of chips",
        "zh_Hans": "为下一代芯片补充设计力量",
        "ar": "زيادة قدرات التصميم للجيل القادم من رقائقنا",
        "ru": "нарастить проектные мощности для следующего поколения микросхем",
        "es": "ampliar la capacidad de diseño para nuestra próxima generación de chips",
        "fr": "renforcer nos capacités de conception pour notre prochaine génération de puces",
    },
    "support": {
        "en": "extend our customer support to more hours and languages",
        "zh_Hans": "延长客户服务时间并增加服务语种",
        "ar": "تمديد ساعات دعم العملاء وزيادة لغاته",
        "ru": "расширить часы работы и языки поддержки клиентов",
        "es": "ampliar el horario y los idiomas de atención al cliente",
        "fr": "étendre les horaires et les langues de notre service client",
    },
    "backoffice": {
        "en": "lower the cost of our back-office work",
        "zh_Hans": "降低后台运营成本",
        "ar": "خفض تكاليف أعمال المكاتب الخلفية",
        "ru": "сократить расходы на бэк-офис",
        "es": "reducir el coste de nuestras tareas de back office",
        "fr": "réduire le coût de nos activités de back-office",
    },
    "data": {
        "en": "cope with growing data volumes",
        "zh_Hans": "应对不断增长的数据量",
        "ar": "مواكبة الحجم المتزايد للبيانات",
        "ru": "справиться с растущими объёмами данных",
        "es": "gestionar volúmenes de datos cada vez mayores",
        "fr": "faire face à des volumes de données croissants",
    },
    "growth": {
        "en": "grow our online sales",
        "zh_Hans": "提升线上销售额",
        "ar": "زيادة مبيعاتنا عبر الإنترنت",
        "ru": "увеличить онлайн-продажи",
        "es": "aumentar nuestras ventas en línea",
        "fr": "développer nos ventes en ligne",
    },
    "supply": {
        "en": "make our supply chain more resilient",
        "zh_Hans": "增强供应链韧性",
        "ar": "تعزيز مرونة سلسلة الإمداد لدينا",
        "ru": "повысить устойчивость цепочки поставок",
        "es": "hacer más resiliente nuestra cadena de suministro",
        "fr": "rendre notre chaîne d'approvisionnement plus résiliente",
    },
    "research": {
        "en": "expand our research capacity",
        "zh_Hans": "扩充研发能力",
        "ar": "توسيع قدراتنا البحثية",
        "ru": "расширить наши исследовательские возможности",
        "es": "ampliar nuestra capacidad de investigación",
        "fr": "accroître nos capacités de recherche",
    },
    "product": {
        "en": "shorten our product development cycles",
        "zh_Hans": "缩短产品开发周期",
        "ar": "تقصير دورات تطوير منتجاتنا",
        "ru": "сократить сроки разработки продуктов",
        "es": "acortar nuestros ciclos de desarrollo de producto",
        "fr": "raccourcir nos cycles de développement produit",
    },
    "expansion": {
        "en": "prepare our expansion into new markets",
        "zh_Hans": "筹备开拓新市场",
        "ar": "التحضير لتوسعنا في أسواق جديدة",
        "ru": "подготовить выход на новые рынки",
        "es": "preparar nuestra expansión a nuevos mercados",
        "fr": "préparer notre développement sur de nouveaux marchés",
    },
    "compliance": {
        "en": "handle a growing contract and compliance workload",
        "zh_Hans": "应对日益增加的合同与合规工作",
        "ar": "مواكبة العبء المتزايد لأعمال العقود والامتثال",
        "ru": "справиться с растущим объёмом договорной работы и комплаенса",
        "es": "gestionar una carga creciente de contratos y cumplimiento normativo",
        "fr": "absorber une charge croissante de contrats et de conformité",
    },
    "quality": {
        "en": "meet stricter quality and certification requirements",
        "zh_Hans": "满足更严格的质量与认证要求",
        "ar": "تلبية متطلبات أكثر صرامة للجودة والاعتماد",
        "ru": "выполнить более строгие требования к качеству и сертификации",
        "es": "cumplir requisitos de calidad y certificación más estrictos",
        "fr": "répondre à des exigences de qualité et de certification plus strictes",
    },
    "process": {
        "en": "streamline our internal processes",
        "zh_Hans": "优化内部业务流程",
        "ar": "تبسيط عملياتنا الداخلية",
        "ru": "оптимизировать внутренние процессы",
        "es": "simplificar nuestros procesos internos",
        "fr": "simplifier nos processus internes",
    },
    "hr": {
        "en": "handle hiring and payroll across several countries",
        "zh_Hans": "统筹多国招聘与薪酬发放",
        "ar": "إدارة التوظيف وكشوف الرواتب في عدة دول",
        "ru": "наладить подбор персонала и расчёт зарплаты в нескольких странах",
        "es": "gestionar la contratación y las nóminas en varios países",
        "fr": "gérer le recrutement et la paie dans plusieurs pays",
    },
    "decisions": {
        "en": "base our decisions on better data",
        "zh_Hans": "让决策建立在更可靠的数据之上",
        "ar": "اتخاذ قراراتنا استنادًا إلى بيانات أفضل",
        "ru": "принимать решения на основе более качественных данных",
        "es": "tomar decisiones basadas en mejores datos",
        "fr": "fonder nos décisions sur de meilleures données",
    },
    "experience": {
        "en": "redesign the experience we offer our customers",
        "zh_Hans": "重塑客户体验",
        "ar": "إعادة تصميم التجربة التي نقدمها لعملائنا",
        "ru": "переосмыслить клиентский опыт",
        "es": "rediseñar la experiencia que ofrecemos a nuestros clientes",
        "fr": "repenser l'expérience que nous offrons à nos clients",
    },
}

_SERVICE_MOTIVES: dict[str, tuple[str, ...]] = {
    "ito.software_rd": ("digital", "modernise"),
    "ito.it_rd_services": ("digital", "research"),
    "ito.is_operation_maintenance": ("uptime", "modernise"),
    "ito.ic_circuit_design": ("chips",),
    "ito.cloud_computing": ("cloud",),
    "ito.it_solutions": ("modernise", "digital"),
    "ito.ai_services": ("ai",),
    "bpo.process_design": ("process",),
    "bpo.internal_management": ("backoffice", "process"),
    "bpo.business_operations": ("process", "support"),
    "bpo.supply_chain_management": ("supply",),
    "bpo.data_processing": ("data",),
    "bpo.call_center": ("support",),
    "bpo.finance_tax": ("backoffice",),
    "bpo.human_resources": ("hr",),
    "bpo.internet_marketing": ("growth",),
    "bpo.financial_back_office": ("backoffice",),
    "kpo.pharma_biotech_rd": ("research",),
    "kpo.testing_inspection": ("quality",),
    "kpo.management_consulting": ("expansion",),
    "kpo.industrial_design": ("product",),
    "kpo.engineering_design": ("product",),
    "kpo.service_design": ("experience",),
    "kpo.decision_analysis": ("decisions",),
    "kpo.scientific_research": ("research",),
    "kpo.integrated_solutions": ("modernise", "expansion"),
    "kpo.legal_services": ("compliance",),
}

# Country names that read better than CLDR's in running text.
_COUNTRY_OVERRIDES: dict[str, dict[str, str]] = {
    "HK": {
        "en": "Hong Kong",
        "zh_Hans": "中国香港",
        "ar": "هونغ كونغ",
        "ru": "Гонконг",
        "es": "Hong Kong",
        "fr": "Hong Kong",
    },
    "US": {"ru": "США"},
}
# English country names that take "the" in a sentence.
_EN_THE = {"US", "GB", "NL", "AE", "PH", "CZ", "DO"}

# Demonstration cities in ru, ar, es, fr (en and zh come from the CSV).
_CITY_L10N: dict[str, tuple[str, str, str, str]] = {
    "Beijing": ("Пекин", "بكين", "Pekín", "Pékin"),
    "Tianjin": ("Тяньцзинь", "تيانجين", "Tianjin", "Tianjin"),
    "Shanghai": ("Шанхай", "شانغهاي", "Shanghái", "Shanghai"),
    "Chongqing": ("Чунцин", "تشونغتشينغ", "Chongqing", "Chongqing"),
    "Dalian": ("Далянь", "داليان", "Dalian", "Dalian"),
    "Shenzhen": ("Шэньчжэнь", "شنتشن", "Shenzhen", "Shenzhen"),
    "Guangzhou": ("Гуанчжоу", "قوانغتشو", "Guangzhou", "Guangzhou"),
    "Wuhan": ("Ухань", "ووهان", "Wuhan", "Wuhan"),
    "Harbin": ("Харбин", "هاربين", "Harbin", "Harbin"),
    "Chengdu": ("Чэнду", "تشنغدو", "Chengdu", "Chengdu"),
    "Nanjing": ("Нанкин", "نانجينغ", "Nankín", "Nankin"),
    "Xi'an": ("Сиань", "شيآن", "Xi'an", "Xi'an"),
    "Jinan": ("Цзинань", "جينان", "Jinan", "Jinan"),
    "Hangzhou": ("Ханчжоу", "هانغتشو", "Hangzhou", "Hangzhou"),
    "Hefei": ("Хэфэй", "خفي", "Hefei", "Hefei"),
    "Nanchang": ("Наньчан", "نانتشانغ", "Nanchang", "Nanchang"),
    "Changsha": ("Чанша", "تشانغشا", "Changsha", "Changsha"),
    "Daqing": ("Дацин", "داتشينغ", "Daqing", "Daqing"),
    "Suzhou": ("Сучжоу", "سوتشو", "Suzhou", "Suzhou"),
    "Wuxi": ("Уси", "ووشي", "Wuxi", "Wuxi"),
    "Xiamen": ("Сямэнь", "شيامن", "Xiamen", "Xiamen"),
    "Shenyang": ("Шэньян", "شنيانغ", "Shenyang", "Shenyang"),
    "Changchun": ("Чанчунь", "تشانغتشون", "Changchun", "Changchun"),
    "Nantong": ("Наньтун", "نانتونغ", "Nantong", "Nantong"),
    "Zhenjiang": ("Чжэньцзян", "تشنجيانغ", "Zhenjiang", "Zhenjiang"),
    "Ningbo": ("Нинбо", "نينغبو", "Ningbo", "Ningbo"),
    "Fuzhou": ("Фучжоу", "فوتشو", "Fuzhou", "Fuzhou"),
    "Qingdao": ("Циндао", "تشينغداو", "Qingdao", "Qingdao"),
    "Zhengzhou": ("Чжэнчжоу", "تشنغتشو", "Zhengzhou", "Zhengzhou"),
    "Nanning": ("Наньнин", "نانينغ", "Nanning", "Nanning"),
    "Urumqi": ("Урумчи", "أورومتشي", "Urumqi", "Ürümqi"),
}

# ---------------------------------------------------------------------------
# What providers do: archetypes
# ---------------------------------------------------------------------------

# name: (services, the first always offered; industries; certifications;
#        name suffixes (en, zh); weight among Chinese providers)
_ARCHETYPES: dict[str, dict] = {
    "software": {
        "services": (
            "ito.software_rd",
            "ito.it_rd_services",
            "ito.it_solutions",
            "ito.cloud_computing",
            "ito.ai_services",
            "ito.is_operation_maintenance",
        ),
        "industries": (
            "finance",
            "insurance",
            "retail",
            "ecommerce",
            "manufacturing",
            "automotive",
            "logistics",
            "telecom",
            "healthcare",
            "government",
            "education",
            "media",
            "travel",
            "energy",
        ),
        "certs": ("cmmi", "iso_27001", "iso_9001", "iso_20000"),
        "suffixes": (
            ("Software", "软件"),
            ("Information Technology", "信息技术"),
            ("Digital Technology", "数字科技"),
            ("Software Engineering", "软件工程"),
            ("Tech", "科技"),
        ),
        "weight": 30,
    },
    "cloud_ops": {
        "services": (
            "ito.cloud_computing",
            "ito.is_operation_maintenance",
            "ito.it_solutions",
            "bpo.data_processing",
            "ito.software_rd",
        ),
        "industries": (
            "finance",
            "retail",
            "ecommerce",
            "telecom",
            "government",
            "media",
            "logistics",
            "education",
        ),
        "certs": ("iso_27001", "iso_20000", "iso_9001", "soc_2", "cmmi"),
        "suffixes": (
            ("Cloud Technologies", "云计算科技"),
            ("Network Technology", "网络科技"),
            ("IT Services", "信息技术服务"),
            ("Cloud Services", "云服务"),
        ),
        "weight": 10,
    },
    "ai_data": {
        "services": (
            "ito.ai_services",
            "bpo.data_processing",
            "kpo.decision_analysis",
            "ito.software_rd",
            "ito.cloud_computing",
        ),
        "industries": (
            "finance",
            "healthcare",
            "retail",
            "ecommerce",
            "manufacturing",
            "automotive",
            "media",
            "agriculture",
        ),
        "certs": ("iso_27001", "iso_27701", "cmmi", "iso_9001"),
        "suffixes": (
            ("Intelligent Technology", "智能科技"),
            ("AI Technology", "人工智能科技"),
            ("Data Intelligence", "数据智能"),
        ),
        "weight": 10,
    },
    "ic": {
        "services": (
            "ito.ic_circuit_design",
            "ito.it_rd_services",
            "kpo.testing_inspection",
            "kpo.engineering_design",
        ),
        "industries": ("automotive", "telecom", "manufacturing", "energy"),
        "certs": ("iso_9001", "iso_27001"),
        "suffixes": (
            ("Microelectronics", "微电子"),
            ("Semiconductor Design", "半导体设计"),
            ("IC Design", "集成电路设计"),
        ),
        "weight": 5,
    },
    "bpo_contact": {
        "services": (
            "bpo.call_center",
            "bpo.business_operations",
            "bpo.internet_marketing",
            "bpo.data_processing",
            "bpo.human_resources",
        ),
        "industries": ("telecom", "ecommerce", "retail", "finance", "insurance", "travel"),
        "certs": ("iso_27001", "pci_dss", "iso_9001", "iso_27701"),
        "suffixes": (
            ("Customer Services", "客户服务"),
            ("Contact Centre Services", "呼叫中心服务"),
            ("Business Services", "商务服务"),
        ),
        "weight": 10,
    },
    "bpo_finance": {
        "services": (
            "bpo.finance_tax",
            "bpo.financial_back_office",
            "bpo.internal_management",
            "bpo.human_resources",
            "bpo.data_processing",
        ),
        "industries": ("finance", "insurance", "retail", "manufacturing", "logistics"),
        "certs": ("iso_27001", "pci_dss", "soc_2", "iso_9001"),
        "suffixes": (
            ("Financial Outsourcing Services", "金融外包服务"),
            ("Shared Services", "共享服务"),
            ("Accounting Services", "财税服务"),
        ),
        "weight": 8,
    },
    "bpo_ops": {
        "services": (
            "bpo.business_operations",
            "bpo.supply_chain_management",
            "bpo.process_design",
            "bpo.internal_management",
            "bpo.human_resources",
        ),
        "industries": ("manufacturing", "retail", "logistics", "ecommerce", "automotive"),
        "certs": ("iso_9001", "iso_27001"),
        "suffixes": (
            ("Outsourcing Services", "服务外包"),
            ("Supply Chain Services", "供应链服务"),
            ("Business Process Services", "业务流程服务"),
        ),
        "weight": 6,
    },
    "data_bpo": {
        "services": (
            "bpo.data_processing",
            "bpo.internet_marketing",
            "bpo.business_operations",
            "ito.ai_services",
            "kpo.decision_analysis",
        ),
        "industries": ("finance", "insurance", "healthcare", "ecommerce", "media", "government"),
        "certs": ("iso_27001", "iso_27701", "iso_9001"),
        "suffixes": (
            ("Data Services", "数据服务"),
            ("Data Technology", "数据科技"),
            ("Information Services", "信息服务"),
        ),
        "weight": 8,
    },
    "design": {
        "services": (
            "kpo.industrial_design",
            "kpo.engineering_design",
            "kpo.service_design",
            "kpo.testing_inspection",
        ),
        "industries": ("manufacturing", "automotive", "energy", "retail"),
        "certs": ("iso_9001",),
        "suffixes": (
            ("Industrial Design", "工业设计"),
            ("Engineering Design", "工程设计"),
            ("Design Institute", "设计研究院"),
        ),
        "weight": 6,
    },
    "pharma": {
        "services": (
            "kpo.pharma_biotech_rd",
            "kpo.scientific_research",
            "kpo.testing_inspection",
            "kpo.decision_analysis",
        ),
        "industries": ("pharma", "healthcare", "agriculture"),
        "certs": ("iso_9001",),
        "suffixes": (
            ("Biotech", "生物科技"),
            ("Pharmaceutical Research", "医药研究"),
            ("Life Sciences", "生命科学"),
        ),
        "weight": 5,
    },
    "testing": {
        "services": (
            "kpo.testing_inspection",
            "kpo.engineering_design",
            "kpo.scientific_research",
        ),
        "industries": ("manufacturing", "automotive", "pharma", "energy", "agriculture"),
        "certs": ("iso_9001",),
        "suffixes": (("Testing Technology", "检测技术"), ("Inspection & Testing", "检验检测")),
        "weight": 4,
    },
    "consulting": {
        "services": (
            "kpo.management_consulting",
            "kpo.decision_analysis",
            "kpo.integrated_solutions",
            "bpo.process_design",
            "kpo.service_design",
        ),
        "industries": ("finance", "manufacturing", "energy", "government", "retail", "logistics"),
        "certs": ("iso_9001", "iso_27001"),
        "suffixes": (("Consulting", "咨询"), ("Management Consulting", "管理咨询")),
        "weight": 5,
    },
    "legal": {
        "services": (
            "kpo.legal_services",
            "bpo.finance_tax",
            "bpo.data_processing",
            "bpo.internal_management",
        ),
        "industries": ("finance", "insurance", "pharma", "manufacturing"),
        "certs": ("iso_27001", "iso_27701"),
        "suffixes": (
            ("Legal Process Services", "法律流程外包服务"),
            ("Legal & Compliance Services", "法务合规服务"),
        ),
        "weight": 3,
    },
}

# Cities where some kinds of work cluster (multiplies the archetype weight).
_CITY_ARCHETYPE_BOOST: dict[str, dict[str, int]] = {
    "Shanghai": {"pharma": 3, "ic": 2, "bpo_finance": 2, "legal": 2},
    "Suzhou": {"pharma": 2, "ic": 2, "design": 2},
    "Wuxi": {"pharma": 3, "ic": 3},
    "Beijing": {"ai_data": 2, "consulting": 2, "legal": 2},
    "Shenzhen": {"ic": 3, "ai_data": 2, "design": 2},
    "Hefei": {"ic": 2, "ai_data": 2},
    "Xi'an": {"ic": 2, "testing": 2},
    "Dalian": {"bpo_contact": 2, "software": 2},
    "Chengdu": {"data_bpo": 2, "bpo_contact": 2},
    "Wuhan": {"design": 2, "testing": 2},
    "Chongqing": {"design": 2, "bpo_ops": 2},
    "Ningbo": {"bpo_ops": 2, "design": 2},
}

# Providers per demonstration city (weights).
_CITY_WEIGHTS: dict[str, int] = {
    "Beijing": 12,
    "Shanghai": 12,
    "Dalian": 12,
    "Shenzhen": 10,
    "Chengdu": 9,
    "Xi'an": 8,
    "Nanjing": 8,
    "Hangzhou": 8,
    "Guangzhou": 8,
    "Suzhou": 7,
    "Wuxi": 7,
    "Wuhan": 7,
    "Chongqing": 6,
    "Tianjin": 5,
    "Jinan": 5,
    "Qingdao": 5,
    "Hefei": 5,
    "Changsha": 5,
    "Harbin": 4,
    "Xiamen": 4,
    "Shenyang": 4,
    "Ningbo": 4,
    "Zhengzhou": 4,
    "Changchun": 3,
    "Nanchang": 3,
    "Nantong": 3,
    "Fuzhou": 3,
    "Nanning": 3,
    "Daqing": 2,
    "Zhenjiang": 2,
    "Urumqi": 2,
}

# A brand tied to each city (pinyin, hanzi): an old name, a river, a mountain.
_CITY_BRANDS: dict[str, tuple[str, str]] = {
    "Beijing": ("Yanjing", "燕京"),
    "Tianjin": ("Jinmen", "津门"),
    "Shanghai": ("Pujiang", "浦江"),
    "Chongqing": ("Bayu", "巴渝"),
    "Dalian": ("Binhai", "滨海"),
    "Shenzhen": ("Pengcheng", "鹏城"),
    "Guangzhou": ("Yangcheng", "羊城"),
    "Wuhan": ("Jiangcheng", "江城"),
    "Harbin": ("Bingcheng", "冰城"),
    "Chengdu": ("Jinguan", "锦官"),
    "Nanjing": ("Jinling", "金陵"),
    "Xi'an": ("Qinling", "秦岭"),
    "Jinan": ("Quancheng", "泉城"),
    "Hangzhou": ("Qiantang", "钱塘"),
    "Hefei": ("Luzhou", "庐州"),
    "Nanchang": ("Ganjiang", "赣江"),
    "Changsha": ("Xiangjiang", "湘江"),
    "Daqing": ("Songnen", "松嫩"),
    "Suzhou": ("Gusu", "姑苏"),
    "Wuxi": ("Taihu", "太湖"),
    "Xiamen": ("Lujiang", "鹭江"),
    "Shenyang": ("Shengjing", "盛京"),
    "Changchun": ("Changbai", "长白"),
    "Nantong": ("Haohe", "濠河"),
    "Zhenjiang": ("Runzhou", "润州"),
    "Ningbo": ("Siming", "四明"),
    "Fuzhou": ("Minjiang", "闽江"),
    "Qingdao": ("Laoshan", "崂山"),
    "Zhengzhou": ("Zhongyuan", "中原"),
    "Nanning": ("Yongjiang", "邕江"),
    "Urumqi": ("Tianshan", "天山"),
}

_BRANDS: tuple[tuple[str, str], ...] = (
    ("Huaxin", "华芯"),
    ("Ruitong", "睿通"),
    ("Hengtai", "恒泰"),
    ("Jinqiao", "金桥"),
    ("Xinghe", "星河"),
    ("Yunfan", "云帆"),
    ("Zhiyuan", "智远"),
    ("Boyuan", "博远"),
    ("Tianyu", "天宇"),
    ("Mingda", "明达"),
    ("Jiatai", "嘉泰"),
    ("Kaiwei", "凯维"),
    ("Shengda", "盛达"),
    ("Ruiyun", "睿云"),
    ("Chuangyi", "创逸"),
    ("Lingyun", "凌云"),
    ("Qiming", "启明"),
    ("Hongtu", "宏图"),
    ("Zhihui", "智汇"),
    ("Hanyun", "瀚云"),
    ("Haoran", "浩然"),
    ("Jinghong", "景鸿"),
    ("Weilan", "蔚蓝"),
    ("Ronghe", "融合"),
    ("Tongchuang", "同创"),
    ("Huitong", "汇通"),
    ("Xinyuan", "信源"),
    ("Dingcheng", "鼎诚"),
    ("Baichuan", "百川"),
    ("Feiyang", "飞扬"),
    ("Qixin", "启信"),
    ("Shuyun", "数云"),
    ("Zhuoyue", "卓越"),
    ("Ruixiang", "瑞祥"),
    ("Jiahe", "嘉禾"),
    ("Yunhai", "云海"),
    ("Xinhang", "新航"),
    ("Tianqi", "天启"),
    ("Hengyu", "恒宇"),
    ("Zhengtong", "正通"),
    ("Guanghua", "光华"),
    ("Jingcheng", "精诚"),
    ("Mingzhi", "明智"),
    ("Lianchuang", "联创"),
    ("Huachen", "华辰"),
    ("Yizhi", "易知"),
    ("Anxin", "安信"),
    ("Fangyuan", "方圆"),
    ("Gaoxiang", "高翔"),
    ("Hanlin", "翰林"),
    ("Hongyuan", "鸿远"),
    ("Jiayu", "嘉宇"),
    ("Jinrui", "金睿"),
    ("Kaiyuan", "开元"),
    ("Lanxin", "蓝芯"),
    ("Linghang", "领航"),
    ("Minghui", "明辉"),
    ("Qianhe", "乾合"),
    ("Ruida", "睿达"),
    ("Shanhe", "山河"),
    ("Shuzhi", "数智"),
    ("Taihe", "泰和"),
    ("Tianheng", "天恒"),
    ("Weiye", "伟业"),
    ("Xingchen", "星辰"),
    ("Xunjie", "迅捷"),
    ("Yihang", "易航"),
    ("Yuanhang", "远航"),
    ("Zhicheng", "智诚"),
    ("Zhuoxin", "卓信"),
    ("Hengxin", "恒信"),
    ("Qingyun", "青云"),
    ("Jiuzhou", "九州"),
    ("Huarui", "华睿"),
    ("Tengyun", "腾云"),
    ("Yuntu", "云图"),
    ("Ruisi", "睿思"),
    ("Mingyuan", "明远"),
)

# Chinese providers the demo users belong to: fixed for every seed.
_CN_ANCHORS: tuple[dict, ...] = (
    {
        "city": "Dalian",
        "brand": ("Haixin", "海芯"),
        "suffix": ("Software", "软件"),
        "archetype": "software",
        "extra_languages": ("ja",),
        "targets": ("JP", "developed"),
    },
    {
        "city": "Chengdu",
        "brand": ("Tianfu", "天府"),
        "suffix": ("Data Services", "数据服务"),
        "archetype": "data_bpo",
        "extra_languages": (),
        "targets": ("developed", "belt_and_road"),
    },
)

# Fixed profiles of the organizations demo users belong to, so the walkthrough
# (provider in Dalian meets insurer in Hamburg) reads the same for every seed.
_ANCHOR_FIELDS: dict[str, dict] = {
    "dalian-haixin-software": {
        "founded": 2004,
        "size": "250-999",
        "services": [
            "ito.software_rd",
            "ito.is_operation_maintenance",
            "ito.it_solutions",
            "bpo.data_processing",
        ],
        "industries": ["insurance", "finance", "manufacturing"],
        "certifications": ["cmmi_5", "iso_9001", "iso_27001"],
    },
    "chengdu-tianfu-data-services": {
        "founded": 2012,
        "size": "50-249",
        "services": ["bpo.data_processing", "bpo.internet_marketing", "ito.ai_services"],
        "industries": ["ecommerce", "media", "finance"],
        "certifications": ["iso_27001"],
    },
    "nordlicht-versicherung-ag": {
        "founded": 1921,
        "size": "1000-4999",
        "budget": "1m_5m",
        "services": [
            "ito.software_rd",
            "bpo.financial_back_office",
            "ito.is_operation_maintenance",
        ],
        "industries": ["insurance"],
        "certifications": ["iso_27001"],
    },
    "gulf-logistics-holding": {
        "founded": 1998,
        "size": "1000-4999",
        "budget": "1m_5m",
        "services": [
            "bpo.supply_chain_management",
            "ito.software_rd",
            "bpo.data_processing",
        ],
        "industries": ["logistics", "ecommerce"],
        "certifications": ["iso_9001", "iso_27001"],
    },
}

# Extra working languages of Chinese providers beyond zh and en (probabilities).
_DEFAULT_LANGUAGE_ODDS = {
    "ja": 0.12,
    "ko": 0.05,
    "ru": 0.06,
    "ar": 0.05,
    "es": 0.06,
    "fr": 0.05,
    "de": 0.07,
}
_CITY_LANGUAGE_ODDS: dict[str, dict[str, float]] = {
    "Dalian": {"ja": 0.6, "ko": 0.2},
    "Qingdao": {"ko": 0.45, "ja": 0.3},
    "Shenyang": {"ja": 0.3, "ko": 0.3, "ru": 0.15},
    "Changchun": {"ja": 0.25, "ko": 0.3, "ru": 0.2},
    "Harbin": {"ru": 0.55, "ko": 0.1},
    "Daqing": {"ru": 0.35},
    "Urumqi": {"ru": 0.7, "kk": 0.4, "ar": 0.25},
    "Xi'an": {"ar": 0.15, "ru": 0.15},
    "Nanning": {"vi": 0.45, "th": 0.3},
    "Wuxi": {"ja": 0.3},
    "Suzhou": {"ja": 0.25, "de": 0.15},
}
# Countries a provider speaking the language targets; groups the language opens.
_LANGUAGE_TARGETS: dict[str, tuple[str, ...]] = {
    "ja": ("JP",),
    "ko": ("KR",),
    "ru": ("RU", "KZ", "UZ"),
    "kk": ("KZ",),
    "ar": ("SA", "AE", "EG", "QA"),
    "es": ("ES", "PE", "CL", "MX"),
    "fr": ("FR", "BE", "MA"),
    "de": ("DE", "CH", "AT"),
    "vi": ("VN",),
    "th": ("TH",),
}
_BELT_AND_ROAD_LANGUAGES = ("ru", "kk", "ar", "vi", "th")
_DEVELOPED_LANGUAGES = ("ja", "ko", "de", "fr", "es")
_ENGLISH_MARKETS = ("US", "GB", "SG", "AU", "CA", "IE")

# Providers outside China:
# (name, country, city, archetype, languages, target markets)
_FOREIGN_PROVIDERS: tuple[tuple[str, str, str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "Kaveri Infotech",
        "IN",
        "Bengaluru",
        "software",
        ("en", "hi", "kn"),
        ("developed", "US", "GB"),
    ),
    (
        "Saptagiri Process Solutions",
        "IN",
        "Chennai",
        "bpo_finance",
        ("en", "ta", "hi"),
        ("developed", "US", "AU"),
    ),
    ("Nilgiri Analytics", "IN", "Hyderabad", "ai_data", ("en", "hi", "te"), ("developed", "SG")),
    (
        "Deccan Engineering Design Services",
        "IN",
        "Pune",
        "design",
        ("en", "hi", "de"),
        ("DE", "developed"),
    ),
    (
        "Malabar Care Connect",
        "IN",
        "Kochi",
        "bpo_contact",
        ("en", "ml", "ar"),
        ("AE", "SA", "belt_and_road"),
    ),
    ("Song Hong Software", "VN", "Hanoi", "software", ("vi", "en", "ja"), ("JP", "developed")),
    (
        "Lotus Delta Digital",
        "VN",
        "Ho Chi Minh City",
        "data_bpo",
        ("vi", "en"),
        ("SG", "AU", "developed"),
    ),
    ("Han River Code Works", "VN", "Da Nang", "software", ("vi", "en", "ja", "ko"), ("JP", "KR")),
    (
        "Bayanihan Contact Solutions",
        "PH",
        "Quezon City",
        "bpo_contact",
        ("en", "tl", "es"),
        ("US", "AU", "developed"),
    ),
    (
        "Visayas Shared Services",
        "PH",
        "Cebu City",
        "bpo_finance",
        ("en", "tl"),
        ("US", "developed"),
    ),
    ("Mindanao Data Works", "PH", "Davao City", "data_bpo", ("en", "tl"), ("developed", "SG")),
    (
        "Nile Delta Contact Centres",
        "EG",
        "Cairo",
        "bpo_contact",
        ("ar", "en", "fr", "de"),
        ("SA", "AE", "FR", "DE", "belt_and_road"),
    ),
    (
        "Pharos Software House",
        "EG",
        "Alexandria",
        "software",
        ("ar", "en"),
        ("belt_and_road", "SA", "AE"),
    ),
    (
        "Giza Engineering Consultants",
        "EG",
        "Giza",
        "design",
        ("ar", "en"),
        ("SA", "QA", "belt_and_road"),
    ),
    ("Wisła Software House", "PL", "Kraków", "software", ("pl", "en", "de"), ("DE", "developed")),
    (
        "Odra Shared Services",
        "PL",
        "Wrocław",
        "bpo_finance",
        ("pl", "en", "de", "fr"),
        ("DE", "FR", "developed"),
    ),
    ("Bałtyk Data Labs", "PL", "Gdańsk", "ai_data", ("pl", "en"), ("developed", "SE")),
    (
        "Selat Digital",
        "MY",
        "Kuala Lumpur",
        "cloud_ops",
        ("ms", "en", "zh"),
        ("SG", "belt_and_road"),
    ),
    (
        "Penang Microsystems Design",
        "MY",
        "George Town",
        "ic",
        ("ms", "en", "zh"),
        ("developed", "US", "SG"),
    ),
    ("Sava Code Labs", "RS", "Belgrade", "software", ("sr", "en", "ru", "de"), ("DE", "CH", "RU")),
    ("Petrovaradin Design Studio", "RS", "Novi Sad", "design", ("sr", "en", "de"), ("DE", "AT")),
    (
        "Carpathia Software",
        "RO",
        "Cluj-Napoca",
        "software",
        ("ro", "en", "fr", "de"),
        ("FR", "DE", "developed"),
    ),
    ("Serendib Knowledge Services", "LK", "Colombo", "legal", ("si", "ta", "en"), ("GB", "AU")),
    (
        "Savannah Data Services",
        "KE",
        "Nairobi",
        "data_bpo",
        ("en", "sw"),
        ("GB", "US", "developed"),
    ),
    (
        "Casablanca Relation Client",
        "MA",
        "Casablanca",
        "bpo_contact",
        ("ar", "fr", "es", "en"),
        ("FR", "BE", "ES"),
    ),
    ("Sierra Madre Software", "MX", "Guadalajara", "software", ("es", "en"), ("US", "CA")),
    ("Vitosha Tech", "BG", "Sofia", "software", ("bg", "en", "de"), ("DE", "developed")),
    (
        "Chorsu Software",
        "UZ",
        "Tashkent",
        "software",
        ("uz", "ru", "en"),
        ("RU", "KZ", "belt_and_road"),
    ),
)

# ---------------------------------------------------------------------------
# Buyers
# ---------------------------------------------------------------------------

# Working languages of buyers by country (English is added when missing).
_COUNTRY_LANGUAGES: dict[str, tuple[str, ...]] = {
    "US": ("en",),
    "DE": ("de", "en"),
    "JP": ("ja", "en"),
    "GB": ("en",),
    "FR": ("fr", "en"),
    "SG": ("en", "zh"),
    "KR": ("ko", "en"),
    "AU": ("en",),
    "CA": ("en",),
    "NL": ("nl", "en"),
    "CH": ("de", "en"),
    "IT": ("it", "en"),
    "ES": ("es", "en"),
    "SE": ("sv", "en"),
    "IE": ("en",),
    "AT": ("de", "en"),
    "BE": ("nl", "fr", "en"),
    "DK": ("da", "en"),
    "FI": ("fi", "sv", "en"),
    "NO": ("no", "en"),
    "NZ": ("en",),
    "IL": ("he", "en"),
    "HK": ("zh", "en"),
    "AE": ("ar", "en"),
    "SA": ("ar", "en"),
    "KZ": ("kk", "ru", "en"),
    "UZ": ("uz", "ru", "en"),
    "RU": ("ru", "en"),
    "EG": ("ar", "en"),
    "TH": ("th", "en"),
    "ID": ("id", "en"),
    "MY": ("ms", "en", "zh"),
    "PK": ("ur", "en"),
    "TR": ("tr", "en"),
    "HU": ("hu", "en", "de"),
    "RS": ("sr", "en", "ru"),
    "KE": ("en", "sw"),
    "NG": ("en",),
    "PE": ("es", "en"),
    "CL": ("es", "en"),
    "QA": ("ar", "en"),
    "MA": ("ar", "fr", "en"),
    "AZ": ("az", "ru", "en"),
    "OM": ("ar", "en"),
    "BH": ("ar", "en"),
    "KW": ("ar", "en"),
    "JO": ("ar", "en"),
    "GR": ("el", "en"),
    "PT": ("pt", "en"),
}

# (country, city, name, main industry, languages when not the country's)
_BUYERS: tuple[tuple[str, str, str, str, tuple[str, ...] | None], ...] = (
    # United States
    ("US", "Hartford", "Harborline Insurance Group", "insurance", None),
    ("US", "Seattle", "Cascade Health Partners", "healthcare", None),
    ("US", "Chicago", "Prairie State Logistics", "logistics", None),
    ("US", "Atlanta", "Bluewater Retail Co.", "retail", None),
    ("US", "Denver", "Summit Ridge Bank", "finance", None),
    ("US", "Houston", "Lone Star Energy Services", "energy", ("en", "es")),
    ("US", "San Jose", "Redwood Learning Systems", "education", None),
    ("US", "Pittsburgh", "Keystone Precision Manufacturing", "manufacturing", None),
    ("US", "Raleigh", "Magnolia Pharmaceuticals", "pharma", None),
    ("US", "Detroit", "Great Lakes Auto Components", "automotive", None),
    ("US", "Los Angeles", "Pacific Crest Media", "media", None),
    ("US", "Portland", "Evergreen Mutual Insurance", "insurance", None),
    ("US", "Phoenix", "Copperline Telecom", "telecom", None),
    ("US", "Miami", "Biscayne Online Commerce", "ecommerce", ("en", "es")),
    # Germany
    ("DE", "Hamburg", "Nordlicht Versicherung AG", "insurance", None),
    ("DE", "Düsseldorf", "Rheinwerk Maschinenbau GmbH", "manufacturing", None),
    ("DE", "Munich", "Bayerische Antriebstechnik GmbH", "automotive", None),
    ("DE", "Dresden", "Elbtal Logistik GmbH", "logistics", None),
    ("DE", "Freiburg", "Schwarzwald Gesundheit AG", "healthcare", None),
    ("DE", "Bremen", "Hanse Handelshaus GmbH", "retail", None),
    ("DE", "Berlin", "Spreewerk Energie AG", "energy", None),
    ("DE", "Frankfurt", "Mainufer Bank AG", "finance", None),
    ("DE", "Heidelberg", "Neckar Pharma GmbH", "pharma", None),
    ("DE", "Kiel", "Ostsee Medien Gruppe", "media", None),
    # Japan
    ("JP", "Nagoya", "Hoshino Precision Industries", "automotive", None),
    ("JP", "Tokyo", "Aozora Life Insurance", "insurance", None),
    ("JP", "Osaka", "Kansai Medical Network", "healthcare", None),
    ("JP", "Yokohama", "Tsubasa Logistics", "logistics", None),
    ("JP", "Fukuoka", "Midori Retail Holdings", "retail", None),
    ("JP", "Tokyo", "Kirameki Games Studio", "media", None),
    ("JP", "Sendai", "Hokuto Electric Devices", "manufacturing", None),
    ("JP", "Osaka", "Yamabuki Pharmaceutical", "pharma", None),
    ("JP", "Tokyo", "Seiran Securities", "finance", None),
    # United Kingdom
    ("GB", "London", "Thameside Building Society", "finance", None),
    ("GB", "Leeds", "Pennine Insurance Services", "insurance", None),
    ("GB", "Glasgow", "Clydebank Engineering Ltd", "manufacturing", None),
    ("GB", "Liverpool", "Mersey Freight Group", "logistics", None),
    ("GB", "Manchester", "Albion Online Retail", "ecommerce", None),
    ("GB", "Cheltenham", "Cotswold Care Homes", "healthcare", None),
    ("GB", "Aberdeen", "Brightwater Energy UK", "energy", None),
    ("GB", "Oxford", "Cherwell Learning Press", "education", None),
    # France
    ("FR", "Paris", "Groupe Méridien Assurances", "insurance", None),
    ("FR", "Lyon", "Lumière Santé", "healthcare", None),
    ("FR", "Toulouse", "Garonne Composites", "manufacturing", None),
    ("FR", "Marseille", "Maison Provence Distribution", "retail", None),
    ("FR", "Nantes", "Crédit Atlantique Mutuel", "finance", None),
    ("FR", "Tours", "Transports Loire Express", "logistics", None),
    # Singapore
    ("SG", "Singapore", "Straits Capital Partners", "finance", None),
    ("SG", "Singapore", "Lion City Logistics", "logistics", None),
    ("SG", "Singapore", "Marina Bay Health Group", "healthcare", None),
    ("SG", "Singapore", "Kallang Digital Commerce", "ecommerce", None),
    ("SG", "Singapore", "Sentosa Travel Group", "travel", None),
    # South Korea
    ("KR", "Seongnam", "Hanbit Semiconductor", "manufacturing", None),
    ("KR", "Ulsan", "Daehan Mobility Parts", "automotive", None),
    ("KR", "Seoul", "Saebyeol Life Insurance", "insurance", None),
    ("KR", "Seoul", "Gangnam Beauty Commerce", "ecommerce", None),
    ("KR", "Busan", "Haeundae Shipping Lines", "logistics", None),
    # Australia
    ("AU", "Melbourne", "Southern Cross Health", "healthcare", None),
    ("AU", "Adelaide", "Wattle Bank", "finance", None),
    ("AU", "Cairns", "Coral Coast Tourism Group", "travel", None),
    ("AU", "Perth", "Outback Agri Holdings", "agriculture", None),
    # Canada
    ("CA", "Montreal", "Laurentian Mutual", "insurance", ("fr", "en")),
    ("CA", "Calgary", "Northern Lights Telecom", "telecom", None),
    ("CA", "Vancouver", "Fraser Valley Foods", "agriculture", None),
    ("CA", "Toronto", "Ontario Learning Network", "education", None),
    # Netherlands
    ("NL", "Rotterdam", "Zuiderzee Logistiek B.V.", "logistics", None),
    ("NL", "Utrecht", "Oranje Zorggroep", "healthcare", None),
    ("NL", "Amsterdam", "Grachten Bank N.V.", "finance", None),
    ("NL", "Wageningen", "Polder Agritech B.V.", "agriculture", None),
    # Switzerland
    ("CH", "Geneva", "Banque du Léman SA", "finance", ("fr", "en")),
    ("CH", "Zurich", "Alpenblick Versicherungen AG", "insurance", None),
    ("CH", "Basel", "Rheinknie Pharma AG", "pharma", ("de", "en", "fr")),
    ("CH", "Lucerne", "Gotthard Präzisionstechnik AG", "manufacturing", None),
    # Italy
    ("IT", "Florence", "Tessile Arno S.p.A.", "manufacturing", None),
    ("IT", "Venice", "Assicurazioni Laguna", "insurance", None),
    ("IT", "Milan", "Moda Navigli Online", "ecommerce", None),
    # Spain
    ("ES", "Seville", "Seguros Ibéricos del Sur", "insurance", None),
    ("ES", "Valencia", "Logística Mediterránea S.L.", "logistics", None),
    ("ES", "Bilbao", "Banca Cantábrica", "finance", None),
    # Sweden
    ("SE", "Luleå", "Vinterljus Energi AB", "energy", None),
    ("SE", "Stockholm", "Skärgård Försäkring AB", "insurance", None),
    ("SE", "Gothenburg", "Göta Fordonsteknik AB", "automotive", None),
    # Ireland
    ("IE", "Dublin", "Liffey Payments Ltd", "finance", None),
    ("IE", "Galway", "Shannon Medtech", "healthcare", None),
    # Austria
    ("AT", "Linz", "Donauwelle Logistik GmbH", "logistics", None),
    ("AT", "Innsbruck", "Alpenland Tourismus GmbH", "travel", None),
    # Belgium
    ("BE", "Liège", "Meuse Assurances SA", "insurance", ("fr", "en")),
    ("BE", "Leuven", "Brabant Biotech NV", "pharma", None),
    # Denmark
    ("DK", "Copenhagen", "Øresund Shipping A/S", "logistics", None),
    ("DK", "Esbjerg", "Jutland Wind Service A/S", "energy", None),
    # Finland
    ("FI", "Lappeenranta", "Saimaa Forest Industries Oy", "manufacturing", None),
    ("FI", "Helsinki", "Revontuli Games Oy", "media", None),
    # Norway
    ("NO", "Bergen", "Vestland Havbruk AS", "agriculture", None),
    ("NO", "Stavanger", "Nordkapp Energi AS", "energy", None),
    # New Zealand
    ("NZ", "Hamilton", "Kauri Coast Dairy Cooperative", "agriculture", None),
    # Israel
    ("IL", "Haifa", "Carmel Digital Health", "healthcare", None),
    ("IL", "Beersheba", "Negev Solar Technologies", "energy", None),
    # Hong Kong
    ("HK", "Hong Kong", "Victoria Harbour Insurance", "insurance", None),
    ("HK", "Hong Kong", "Kowloon Trade Finance", "finance", None),
    # United Arab Emirates
    ("AE", "Dubai", "Gulf Logistics Holding", "logistics", None),
    ("AE", "Abu Dhabi", "Al Noor Healthcare Group", "healthcare", None),
    ("AE", "Dubai", "Desert Rose Hospitality", "travel", None),
    ("AE", "Sharjah", "Khaleej Retail Group", "retail", None),
    ("AE", "Abu Dhabi", "Saadiyat Capital", "finance", None),
    ("AE", "Dubai", "Creekside E-Commerce", "ecommerce", None),
    # Saudi Arabia
    ("SA", "Riyadh", "Najd Energy Services", "energy", None),
    ("SA", "Jeddah", "Al Hijaz Hospitals Company", "healthcare", None),
    ("SA", "Jeddah", "Tihama Insurance", "insurance", None),
    ("SA", "Riyadh", "Yamamah Smart City Services", "government", None),
    ("SA", "Dammam", "Dammam Industrial Supplies", "manufacturing", None),
    # Kazakhstan
    ("KZ", "Almaty", "Steppe Telecom", "telecom", None),
    ("KZ", "Astana", "Astana Grain Corporation", "agriculture", None),
    ("KZ", "Aktau", "Caspian Logistics KZ", "logistics", None),
    ("KZ", "Almaty", "Alatau Bank", "finance", None),
    # Uzbekistan
    ("UZ", "Samarkand", "Samarkand Silk Road Tours", "travel", None),
    ("UZ", "Tashkent", "Tashkent Textile Group", "manufacturing", None),
    ("UZ", "Tashkent", "Registan Pay", "finance", None),
    # Russia
    ("RU", "Kazan", "Volga Insurance Group", "insurance", None),
    ("RU", "Yekaterinburg", "Ural Precision Engineering", "manufacturing", None),
    ("RU", "Saint Petersburg", "Neva Retail Group", "retail", None),
    ("RU", "Novosibirsk", "Siberian Agro Holding", "agriculture", None),
    ("RU", "Moscow", "Arbat Digital Media", "media", None),
    # Egypt
    ("EG", "Cairo", "Delta Nile Pharmaceuticals", "pharma", None),
    ("EG", "Alexandria", "Alexandria Port Services", "logistics", None),
    ("EG", "Giza", "Pyramids Travel Group", "travel", None),
    # Thailand
    ("TH", "Bangkok", "Chao Phraya Hospital Group", "healthcare", None),
    ("TH", "Rayong", "Siam Auto Parts", "automotive", None),
    ("TH", "Phuket", "Andaman Resorts Collection", "travel", None),
    # Indonesia
    ("ID", "Jakarta", "Nusantara Digital Bank", "finance", None),
    ("ID", "Balikpapan", "Borneo Palm Agro", "agriculture", None),
    ("ID", "Surabaya", "Java Retail Network", "retail", None),
    # Malaysia
    ("MY", "Kota Kinabalu", "Kinabalu Health Services", "healthcare", None),
    ("MY", "Malacca", "Melaka Straits Insurance", "insurance", None),
    ("MY", "Kuala Lumpur", "Klang Valley Commerce", "ecommerce", None),
    # Pakistan
    ("PK", "Faisalabad", "Indus Textiles Ltd", "manufacturing", None),
    ("PK", "Islamabad", "Margalla Telecom", "telecom", None),
    # Türkiye
    ("TR", "Istanbul", "Boğaziçi Sigorta", "insurance", None),
    ("TR", "Nevşehir", "Kapadokya Turizm", "travel", None),
    ("TR", "Izmir", "Ege Otomotiv Parçaları", "automotive", None),
    # Hungary
    ("HU", "Budapest", "Duna Bank Zrt.", "finance", None),
    ("HU", "Győr", "Rába Logistics Kft.", "logistics", None),
    ("HU", "Debrecen", "Tisza Pharma Kft.", "pharma", None),
    # Serbia
    ("RS", "Belgrade", "Kalemegdan Insurance", "insurance", None),
    ("RS", "Novi Sad", "Vojvodina Agrar", "agriculture", None),
    # Kenya
    ("KE", "Nairobi", "Rift Valley Mobile Money", "finance", None),
    ("KE", "Mombasa", "Mombasa Coastal Freight", "logistics", None),
    # Nigeria
    ("NG", "Lagos", "Lagos Lagoon Bank", "finance", None),
    ("NG", "Port Harcourt", "Niger Delta Energy Services", "energy", None),
    # Peru
    ("PE", "Lima", "Andes Seguros del Perú", "insurance", None),
    ("PE", "Trujillo", "Inca Agroexport", "agriculture", None),
    # Chile
    ("CL", "Santiago", "Cordillera Retail S.A.", "retail", None),
    ("CL", "Antofagasta", "Atacama Energía Solar", "energy", None),
    # Qatar
    ("QA", "Doha", "Doha Pearl Hospitality", "travel", None),
    ("QA", "Lusail", "Lusail Insurance", "insurance", None),
    # Morocco
    ("MA", "Casablanca", "Atlas Assurances Maroc", "insurance", None),
    ("MA", "Tangier", "Détroit Logistique Tanger", "logistics", None),
    # Azerbaijan, Oman, Bahrain, Kuwait, Jordan, Greece, Portugal
    ("AZ", "Baku", "Absheron Energy Services", "energy", None),
    ("OM", "Muscat", "Muscat Marine Logistics", "logistics", None),
    ("BH", "Manama", "Manama Islamic Finance House", "finance", None),
    ("KW", "Kuwait City", "Failaka Trading Company", "retail", None),
    ("JO", "Amman", "Petra Digital Health", "healthcare", None),
    ("GR", "Athens", "Aegean Ferries Group", "travel", None),
    ("PT", "Lisbon", "Atlântico Digital Banking", "finance", None),
)

# What buyers in an industry outsource (the first ones most often).
_INDUSTRY_NEEDS: dict[str, tuple[str, ...]] = {
    "finance": (
        "bpo.financial_back_office",
        "ito.software_rd",
        "ito.is_operation_maintenance",
        "bpo.call_center",
        "bpo.data_processing",
        "ito.ai_services",
        "kpo.decision_analysis",
        "kpo.legal_services",
        "ito.cloud_computing",
    ),
    "insurance": (
        "bpo.financial_back_office",
        "bpo.call_center",
        "bpo.data_processing",
        "ito.software_rd",
        "ito.ai_services",
        "kpo.legal_services",
    ),
    "healthcare": (
        "bpo.data_processing",
        "ito.software_rd",
        "ito.cloud_computing",
        "bpo.call_center",
        "kpo.service_design",
        "ito.ai_services",
    ),
    "pharma": (
        "kpo.pharma_biotech_rd",
        "kpo.scientific_research",
        "kpo.testing_inspection",
        "bpo.data_processing",
        "kpo.legal_services",
    ),
    "retail": (
        "bpo.internet_marketing",
        "bpo.call_center",
        "bpo.supply_chain_management",
        "ito.software_rd",
        "kpo.decision_analysis",
    ),
    "ecommerce": (
        "bpo.internet_marketing",
        "bpo.call_center",
        "ito.cloud_computing",
        "ito.software_rd",
        "ito.ai_services",
        "bpo.data_processing",
    ),
    "manufacturing": (
        "kpo.industrial_design",
        "kpo.engineering_design",
        "bpo.supply_chain_management",
        "kpo.testing_inspection",
        "ito.it_solutions",
        "ito.is_operation_maintenance",
    ),
    "automotive": (
        "kpo.engineering_design",
        "ito.ic_circuit_design",
        "ito.software_rd",
        "kpo.testing_inspection",
        "kpo.industrial_design",
        "ito.ai_services",
    ),
    "logistics": (
        "bpo.supply_chain_management",
        "ito.software_rd",
        "bpo.data_processing",
        "bpo.call_center",
        "ito.it_solutions",
    ),
    "telecom": (
        "bpo.call_center",
        "ito.is_operation_maintenance",
        "ito.cloud_computing",
        "ito.software_rd",
        "bpo.business_operations",
        "ito.ai_services",
    ),
    "energy": (
        "kpo.engineering_design",
        "ito.is_operation_maintenance",
        "kpo.decision_analysis",
        "ito.it_solutions",
        "kpo.testing_inspection",
    ),
    "government": (
        "ito.it_solutions",
        "ito.software_rd",
        "kpo.service_design",
        "bpo.data_processing",
        "ito.cloud_computing",
        "kpo.integrated_solutions",
    ),
    "education": (
        "ito.software_rd",
        "ito.cloud_computing",
        "kpo.service_design",
        "bpo.internet_marketing",
        "ito.ai_services",
    ),
    "media": (
        "bpo.internet_marketing",
        "ito.software_rd",
        "ito.ai_services",
        "bpo.data_processing",
        "ito.cloud_computing",
    ),
    "travel": (
        "bpo.call_center",
        "bpo.internet_marketing",
        "ito.software_rd",
        "bpo.business_operations",
    ),
    "agriculture": (
        "bpo.supply_chain_management",
        "kpo.decision_analysis",
        "kpo.scientific_research",
        "ito.it_solutions",
    ),
}
# Needs any buyer may add.
_GENERAL_NEEDS = (
    "bpo.finance_tax",
    "bpo.human_resources",
    "bpo.internal_management",
    "bpo.process_design",
    "kpo.management_consulting",
)
_RELATED_INDUSTRIES: dict[str, tuple[str, ...]] = {
    "finance": ("insurance",),
    "insurance": ("finance", "healthcare"),
    "healthcare": ("pharma", "insurance"),
    "pharma": ("healthcare",),
    "retail": ("ecommerce", "logistics"),
    "ecommerce": ("retail", "logistics"),
    "manufacturing": ("automotive", "energy"),
    "automotive": ("manufacturing",),
    "logistics": ("retail", "ecommerce"),
    "telecom": ("media",),
    "energy": ("manufacturing",),
    "government": ("education",),
    "education": ("media",),
    "media": ("telecom", "education"),
    "travel": ("ecommerce",),
    "agriculture": ("logistics",),
}
_BUYER_CERTS: dict[str, tuple[str, ...]] = {
    "finance": ("iso_27001", "soc_2", "pci_dss"),
    "insurance": ("iso_27001", "soc_2", "iso_27701"),
    "healthcare": ("iso_27001", "iso_27701"),
    "pharma": ("iso_9001", "iso_27001"),
    "retail": ("pci_dss", "iso_27001"),
    "ecommerce": ("pci_dss", "iso_27001", "soc_2"),
    "manufacturing": ("iso_9001",),
    "automotive": ("iso_9001", "iso_27001"),
    "logistics": ("iso_9001", "iso_27001"),
    "telecom": ("iso_27001", "iso_20000"),
    "energy": ("iso_9001", "iso_27001"),
    "government": ("iso_27001", "iso_20000", "iso_27701"),
    "education": ("iso_27001",),
    "media": ("iso_27001",),
    "travel": ("pci_dss", "iso_27001"),
    "agriculture": ("iso_9001",),
}
_BUDGETS_BY_SIZE: dict[str, tuple[str, ...]] = {
    "10-49": ("lt_50k", "50k_250k"),
    "50-249": ("50k_250k", "50k_250k", "250k_1m"),
    "250-999": ("250k_1m", "250k_1m", "1m_5m"),
    "1000-4999": ("250k_1m", "1m_5m", "1m_5m", "gt_5m"),
    "5000+": ("1m_5m", "gt_5m", "gt_5m"),
}

# ---------------------------------------------------------------------------
# Label helpers
# ---------------------------------------------------------------------------


@cache
def _babel_locale(locale: str) -> Locale:
    return Locale.parse(locale)


def _country(code: str, locale: str) -> str:
    override = _COUNTRY_OVERRIDES.get(code, {}).get(locale)
    return override or _babel_locale(locale).territories.get(code, code)


def _language(code: str, locale: str) -> str:
    return _babel_locale(locale).languages.get(code, code)


@cache
def _demonstration_cities() -> dict[str, tuple[str, str]]:
    """city_en -> (city_zh, province_en)."""
    return {city.name_en: (city.name_zh, city.province_en) for city in demonstration_cities()}


def _city(city_en: str, locale: str) -> str:
    if locale == "en":
        return city_en
    if locale == "zh_Hans":
        return _demonstration_cities()[city_en][0]
    ru, ar, es, fr = _CITY_L10N[city_en]
    return {"ru": ru, "ar": ar, "es": es, "fr": fr}[locale]


def _service(code: str, locale: str) -> str:
    category = service_categories()[code]
    if locale == "en":
        first_word = category.name_en.split(" ", 1)[0]
        if first_word.isupper():  # "IT solutions services"
            return category.name_en
        return category.name_en[0].lower() + category.name_en[1:]
    if locale == "zh_Hans":
        # "软件研发及外包（软件研发及开发服务）": the alias in brackets reads badly in a sentence.
        return category.name_zh.split("（", 1)[0]
    ru, ar, es, fr = _SERVICE_L10N[code]
    return {"ru": ru, "ar": ar, "es": es, "fr": fr}[locale]


def _market(code: str, locale: str) -> str:
    if code in _MARKET_L10N:
        return _MARKET_L10N[code][locale]
    name = _country(code, locale)
    if locale == "en" and code in _EN_THE:
        return f"the {name}"
    return name


def _es_takes_e(word: str) -> bool:
    """Spanish "y" becomes "e" before an /i/ sound ("chino e inglés", "ensayo e inspección")."""
    lower = word.lower()
    if lower.startswith(("hia", "hie", "hio", "hiu")):
        return False
    return lower.startswith(("i", "í", "hi", "hí"))


def _join(items: list[str], locale: str) -> str:
    """Join a list the way the locale writes "A, B and C".

    Service names often hold their own "and" ("software R&D and development");
    lists of those switch to semicolons and "as well as" so they stay readable.
    """
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    if locale == "zh_Hans":
        last = "以及" if any("和" in item or "及" in item for item in items) else "和"
        return "、".join(items[:-1]) + last + items[-1]
    if locale == "ar":

        def with_and(item: str) -> str:
            return ("و " if item[:1].isascii() else "و") + item

        if len(items) == 2:
            return f"{items[0]} {with_and(items[1])}"
        return "، ".join([items[0], *(with_and(item) for item in items[1:])])
    conjunction = {"en": "and", "ru": "и", "es": "y", "fr": "et"}[locale]
    if locale == "es" and _es_takes_e(items[-1]):
        conjunction = "e"
    inner = {"en": (" and ",), "ru": (" и ",), "es": (" y ", " e "), "fr": (" et ",)}[locale]

    def compound(item: str) -> bool:
        for proper_name in _PROPER_NAMES_WITH_AND:
            item = item.replace(proper_name, "")
        return "," in item or any(word in item for word in inner)

    if any(compound(item) for item in items):
        if len(items) == 2:
            also = {"en": "as well as", "ru": "а также", "es": "así como", "fr": "ainsi que"}
            comma = "" if locale == "en" else ","
            return f"{items[0]}{comma} {also[locale]} {items[1]}"
        semicolon = f"{_NBSP};" if locale == "fr" else ";"
        return f"{semicolon} ".join(items[:-1]) + f"{semicolon} {conjunction} {items[-1]}"
    if len(items) == 2:
        return f"{items[0]} {conjunction} {items[1]}"
    return ", ".join(items[:-1]) + f" {conjunction} {items[-1]}"


# Names whose "and" does not split a list item.
_PROPER_NAMES_WITH_AND = ("Belt and Road", "«Пояса и пути»", "Franja y la Ruta")


def _fr_de(label: str) -> str:
    """French "de" + article or elision: la finance -> de la finance, le tourisme ->
    du tourisme, accélérer -> d'accélérer."""
    if label.startswith("le "):
        return "du " + label[3:]
    if label.startswith("les "):
        return "des " + label[4:]
    if label[:1].lower() in "aeiouyéèêàâîôh" and not label.startswith(("la ", "l'")):
        return "d'" + label
    return "de " + label


def _slug(text: str) -> str:
    text = text.translate(_TRANSLITERATION)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


_TRANSLITERATION = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "Ae",
        "ß": "ss",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
        "&": " and ",
    }
)


def _n(items: list, one: str, many: str) -> str:
    """Pick the singular or plural wording for a list."""
    return one if len(items) == 1 else many


def _text_locales(languages: list[str]) -> list[str]:
    """English plus every description locale the org works in; zh_Hans when that is all."""
    wanted = {"en"} | {_LANGUAGE_LOCALE[code] for code in languages if code in _LANGUAGE_LOCALE}
    if len(wanted) < 2:
        wanted.add("zh_Hans")
    return [locale for locale in TEXT_LOCALES if locale in wanted]


# ---------------------------------------------------------------------------
# Descriptions
# ---------------------------------------------------------------------------


def _provider_text(org: dict, locale: str, variant: tuple[int, int, int], zh_name: str) -> str:
    loc = locale
    v1, v2, v3 = variant
    name, year = org["name"], org["founded"]
    in_china = org["country"] == "CN"
    services_ = _join([_service(code, loc) for code in org["services"]], loc)
    industries = [_INDUSTRY_L10N[code][loc] for code in org["industries"]]
    markets = _join([_market(code, loc) for code in org["target_markets"]], loc)
    languages = [_language(code, loc) for code in org["languages"]]
    certs = _join([_CERT_L10N[code][loc] for code in org["certifications"]], loc)
    size = _SIZE_L10N[org["size"]][loc]
    country = _country(org["country"], loc)
    svc, crt = org["services"], org["certifications"]
    if loc not in ("en", "zh_Hans"):
        place = f"{_city(org['city'], loc)}, {country}" if in_china else country
        if loc == "ar" and in_china:
            place = f"{_city(org['city'], loc)}، {country}"

    if loc == "en":
        inds, langs, city = _join(industries, loc), _join(languages, loc), org["city"]
        first = (
            f"Founded in {year} in {city}, {name} serves clients in {inds} with {services_}.",
            f"{name} is a {city}-based firm working for clients in {inds} since {year}; "
            f"it offers {services_}.",
            f"Since {year}, {name} has worked from {city}, {country}, for {inds} clients, "
            f"offering {services_}.",
        )
        second = (
            f"Our team of {size} people works in {langs} for clients in {markets}.",
            f"We work in {langs} and focus on {markets}.",
        )
        third = (f"Our certifications include {certs}.", f"Certifications: {certs}.")
    elif loc == "zh_Hans":
        nm = zh_name or name
        place = _city(org["city"], loc) if in_china else country
        inds, langs = "、".join(industries), _join(languages, loc)
        first = (
            f"{nm}成立于{year}年，总部位于{place}，业务涵盖{services_}，主要服务{inds}等行业的客户。",
            f"{nm}是一家扎根{place}的服务外包企业，自{year}年起为{inds}等行业客户提供{services_}。",
            f"{nm}于{year}年在{place}创立，专注于{services_}，客户主要来自{inds}等行业。",
        )
        second = (
            f"公司团队规模{size}，可使用{langs}开展业务，主要面向{markets}的客户。",
            f"我们以{langs}为工作语言，重点开拓{markets}。",
        )
        third = (f"已通过{certs}认证。", f"公司持有{certs}认证。")
    elif loc == "ar":
        inds, langs = _join(industries, loc), _join(languages, loc)
        first = (
            f"تأسست شركة {name} ({place}) عام {year}، وتشمل خدماتها: {services_}.",
            f"تعمل شركة {name} ({place}) في مجال التعهيد منذ عام {year}، "
            f"وتتركز خدماتها في: {services_}.",
            f"منذ تأسيسها عام {year}، تقدم شركة {name} ({place}) "
            f"{_n(svc, 'الخدمة التالية', 'الخدمات التالية')}: {services_}.",
        )
        second = (
            f"قطاعات العملاء: {inds}؛ الأسواق المستهدفة: {markets}؛ لغات العمل: {langs}.",
            f"عدد الموظفين: {size}؛ لغات العمل: {langs}؛ القطاعات: {inds}؛ "
            f"الأسواق المستهدفة: {markets}.",
        )
        third = (
            f"الشهادات: {certs}.",
            f"والشركة حاصلة على {_n(crt, 'الشهادة التالية', 'الشهادات التالية')}: {certs}.",
        )
    elif loc == "ru":
        inds, langs = _join(industries, loc), _join(languages, loc)
        first = (
            f"Компания {name} ({place}) с {year} года оказывает услуги "
            f"{_n(svc, 'по направлению', 'по направлениям')}: {services_}.",
            f"{name} ({place}) — поставщик аутсорсинговых услуг, основанный в {year} году; "
            f"{_n(svc, 'направление работы', 'направления работы')}: {services_}.",
            f"Компания {name} ({place}) основана в {year} году и специализируется "
            f"{_n(svc, 'на следующем направлении', 'на следующих направлениях')}: {services_}.",
        )
        second = (
            f"Отраслевая экспертиза: {inds}; целевые рынки: {markets}; рабочие языки: {langs}.",
            f"В штате — {size} сотрудников; рабочие языки: {langs}; отрасли клиентов: {inds}; "
            f"целевые рынки: {markets}.",
        )
        third = (
            f"{_n(crt, 'Сертификат', 'Сертификаты')}: {certs}.",
            f"Компания имеет {_n(crt, 'сертификат', 'сертификаты')}: {certs}.",
        )
    elif loc == "es":
        inds, langs = _join(industries, loc), _join(languages, loc)
        first = (
            f"Fundada en {year}, {name} ({place}) ofrece "
            f"{_n(svc, 'el siguiente servicio', 'los siguientes servicios')}: {services_}.",
            f"{name} ({place}) trabaja desde {year} en "
            f"{_n(svc, 'la siguiente área', 'las siguientes áreas')}: {services_}.",
        )
        second = (
            f"Trabajamos en {langs} con clientes de sectores como {inds}; "
            f"mercados objetivo: {markets}.",
            f"Nuestro equipo de {size} personas atiende a clientes de sectores como {inds}; "
            f"mercados objetivo: {markets}; idiomas de trabajo: {langs}.",
        )
        third = (
            f"{_n(crt, 'Certificación', 'Certificaciones')}: {certs}.",
            f"Contamos con {_n(crt, 'la certificación', 'las certificaciones')} {certs}.",
        )
    else:  # fr
        de_inds = _join([_fr_de(label) for label in industries], loc)
        fr_domains = _n(svc, "le domaine suivant", "les domaines suivants")
        langs_en = _join([f"en {label}" for label in languages], loc)
        langs = _join(languages, loc)
        first = (
            f"Fondée en {year}, {name} ({place}) intervient dans {fr_domains}{_NBSP}: {services_}.",
            f"Depuis {year}, {name} ({place}) propose ses services dans {fr_domains}{_NBSP}: "
            f"{services_}.",
        )
        second = (
            f"Nos équipes travaillent {langs_en} pour des clients {de_inds}{_NBSP}; "
            f"marchés cibles{_NBSP}: {markets}.",
            f"Notre équipe de {size} personnes accompagne des clients {de_inds}{_NBSP}; "
            f"marchés cibles{_NBSP}: {markets}{_NBSP}; langues de travail{_NBSP}: {langs}.",
        )
        third = (f"Certifications{_NBSP}: {certs}.", f"Nous sommes certifiés {certs}.")

    sentences = [first[v1 % len(first)], second[v2 % len(second)]]
    if org["certifications"]:
        sentences.append(third[v3 % len(third)])
    return ("" if loc == "zh_Hans" else " ").join(sentences)


def _buyer_text(org: dict, locale: str, variant: tuple[int, int, int], motive: str) -> str:
    loc = locale
    v1, v2, _ = variant
    name, year = org["name"], org["founded"]
    main_industry = org["industries"][0]
    noun_en, noun_zh, sector_ru, sector_es = _BUYER_NOUNS[main_industry]
    services_ = _join([_service(code, loc) for code in org["services"]], loc)
    langs = _join([_language(code, loc) for code in org["languages"]], loc)
    certs = _join([_CERT_L10N[code][loc] for code in org["certifications"]], loc)
    budget = _BUDGET_L10N[org["budget"]][loc]
    why = _MOTIVES[motive][loc]
    country = _country(org["country"], loc)
    has_certs = bool(org["certifications"])
    svc = org["services"]

    if loc == "en":
        place = org["city"] if org["city"] == country else f"{org['city']}, {country}"
        first = (
            f"{name} is {noun_en} based in {place}.",
            f"Founded in {year}, {name} is {noun_en} based in {place}.",
        )
        second = (
            f"To {why}, we are looking for partners in {services_}.",
            f"We want to {why} and are looking for providers of {services_}.",
        )
        parts = [
            f"Working languages: {langs}",
            f"preferred certifications: {certs}" if has_certs else "",
            f"annual outsourcing budget: {budget}",
        ]
        third = "; ".join(part for part in parts if part) + "."
    elif loc == "zh_Hans":
        first = (
            f"{name}是一家总部位于{country}的{noun_zh}。",
            f"{name}成立于{year}年，是一家总部位于{country}的{noun_zh}。",
        )
        second = (
            f"为{why}，我们正在寻找{services_}领域的合作伙伴。",
            f"我们希望引入{services_}方面的服务商，以{why}。",
        )
        parts = [
            f"工作语言：{langs}",
            f"优先考虑具备{certs}认证的服务商" if has_certs else "",
            f"年度外包预算：{budget}",
        ]
        third = "；".join(part for part in parts if part) + "。"
    elif loc == "ar":
        sector = _INDUSTRY_L10N[main_industry]["ar"]
        areas = _n(svc, "المجال التالي", "المجالات التالية")
        first = (
            f"تعمل شركة {name} ({country}) في قطاع {sector}.",
            f"تأسست شركة {name} ({country}) عام {year}، وتعمل في قطاع {sector}.",
        )
        second = (
            f"بهدف {why}، نبحث عن شركاء في {areas}: {services_}.",
            f"نسعى إلى {why}، ولذلك نبحث عن مزودي خدمات في {areas}: {services_}.",
        )
        parts = [
            f"لغات العمل: {langs}",
            f"الشهادات المفضلة: {certs}" if has_certs else "",
            f"الميزانية السنوية للتعهيد: {budget}",
        ]
        third = "؛ ".join(part for part in parts if part) + "."
    elif loc == "ru":
        areas = _n(svc, "по направлению", "по направлениям")
        first = (
            f"Компания {name} ({country}) работает в сфере {sector_ru}.",
            f"Компания {name} ({country}), основанная в {year} году, работает в сфере {sector_ru}.",
        )
        second = (
            f"Чтобы {why}, мы ищем партнёров {areas}: {services_}.",
            f"Наша цель — {why}, поэтому мы ищем подрядчиков {areas}: {services_}.",
        )
        parts = [
            f"Рабочие языки: {langs}",
            f"желательные сертификаты: {certs}" if has_certs else "",
            f"годовой бюджет на аутсорсинг: {budget}",
        ]
        third = "; ".join(part for part in parts if part) + "."
    elif loc == "es":
        areas = _n(svc, "la siguiente área", "las siguientes áreas")
        first = (
            f"{name} ({country}) opera en {sector_es}.",
            f"Fundada en {year}, {name} ({country}) opera en {sector_es}.",
        )
        second = (
            f"Para {why}, buscamos proveedores en {areas}: {services_}.",
            f"Con el objetivo de {why}, buscamos socios en {areas}: {services_}.",
        )
        parts = [
            f"Idiomas de trabajo: {langs}",
            f"certificaciones preferidas: {certs}" if has_certs else "",
            f"presupuesto anual de externalización: {budget}",
        ]
        third = "; ".join(part for part in parts if part) + "."
    else:  # fr
        sector = _INDUSTRY_L10N[main_industry]["fr"]
        areas = _n(svc, "le domaine suivant", "les domaines suivants")
        first = (
            f"L'entreprise {name} ({country}) est active dans {sector}.",
            f"Fondée en {year}, l'entreprise {name} ({country}) est active dans {sector}.",
        )
        second = (
            f"Pour {why}, nous recherchons des prestataires dans {areas}{_NBSP}: {services_}.",
            f"Afin {_fr_de(why)}, nous recherchons des partenaires dans {areas}{_NBSP}: "
            f"{services_}.",
        )
        parts = [
            f"Langues de travail{_NBSP}: {langs}",
            f"certifications souhaitées{_NBSP}: {certs}" if has_certs else "",
            f"budget annuel d'externalisation{_NBSP}: {budget}",
        ]
        third = f"{_NBSP}; ".join(part for part in parts if part) + "."

    sentences = [first[v1 % len(first)], second[v2 % len(second)], third]
    return ("" if loc == "zh_Hans" else " ").join(sentences)


# ---------------------------------------------------------------------------
# Organizations
# ---------------------------------------------------------------------------

_N_CHINESE_PROVIDERS = 171
_PROVIDER_SIZES = ("1-9", "10-49", "50-249", "250-999", "1000-4999", "5000+")
_PROVIDER_SIZE_WEIGHTS = (4, 16, 34, 28, 13, 5)
_BUYER_SIZES = ("10-49", "50-249", "250-999", "1000-4999", "5000+")
_BUYER_SIZE_WEIGHTS = (5, 20, 30, 28, 17)
_CERT_COUNTS = {
    "1-9": (0, 1),
    "10-49": (0, 1),
    "50-249": (1, 2),
    "250-999": (1, 3),
    "1000-4999": (2, 3),
    "5000+": (2, 4),
}
_CERT_ORDER = ("cmmi_3", "cmmi_5", "iso_9001", "iso_27001", "iso_20000", "iso_27701", "soc_2")
_YOUNG_NAME_WORDS = ("Digital", "Pay", "Payments", "Mobile", "Online", "E-Commerce", "Commerce")
_YOUNG_NAME_WORDS += ("Games", "Medtech", "Agritech", "Smart")


def _sorted_certs(codes: list[str]) -> list[str]:
    order = (*_CERT_ORDER, "pci_dss")
    return sorted(set(codes), key=order.index)


def _pick_services(rng: random.Random, pool: tuple[str, ...]) -> list[str]:
    """The first service of the pool plus a few others (1-5 in all)."""
    count = min(rng.choices((1, 2, 3, 4, 5), (10, 30, 35, 18, 7))[0], len(pool))
    return [pool[0], *rng.sample(pool[1:], count - 1)]


def _provider_certs(rng: random.Random, archetype: str, size: str) -> list[str]:
    low, high = _CERT_COUNTS[size]
    pool = _ARCHETYPES[archetype]["certs"]
    chosen = rng.sample(pool, min(rng.randint(low, high), len(pool)))
    big = size in ("250-999", "1000-4999", "5000+")
    return _sorted_certs(
        [
            ("cmmi_5" if big and rng.random() < 0.6 else "cmmi_3") if code == "cmmi" else code
            for code in chosen
        ]
    )


def _chinese_languages_and_targets(rng: random.Random, city: str) -> tuple[list[str], list[str]]:
    odds = {**_DEFAULT_LANGUAGE_ODDS, **_CITY_LANGUAGE_ODDS.get(city, {})}
    extras = [code for code, chance in odds.items() if rng.random() < chance][:3]
    if "kk" in extras and "ru" not in extras:
        extras.insert(0, "ru")
    targets: list[str] = []
    for code in extras:
        options = _LANGUAGE_TARGETS[code]
        count = 2 if len(options) > 2 and rng.random() < 0.4 else 1
        targets.extend(rng.sample(options, count))
    groups: list[str] = []
    if not extras:
        if rng.random() < 0.7:
            groups.append("developed")
        if not groups or rng.random() < 0.5:
            groups.append("belt_and_road")
    else:
        if any(code in _DEVELOPED_LANGUAGES for code in extras) and rng.random() < 0.5:
            groups.append("developed")
        if any(code in _BELT_AND_ROAD_LANGUAGES for code in extras) and rng.random() < 0.6:
            groups.append("belt_and_road")
    if rng.random() < (0.3 if not extras else 0.15):
        targets.append(rng.choice(_ENGLISH_MARKETS))
    ordered = list(dict.fromkeys([*groups, *targets]))
    return ["zh", "en", *extras], ordered


class _NameBook:
    """Hands out unique Chinese provider names."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.keys: set[str] = set()
        self.city_brand: set[tuple[str, str]] = set()
        self.brand_uses: dict[str, int] = {}
        self.bare_brands: set[str] = set()

    def take(self, name: str) -> None:
        self.names.add(name)
        self.keys.add(_slug(name))

    def free(self, name: str) -> bool:
        return name not in self.names and _slug(name) not in self.keys

    def register(self, city: str, brand: str, bare: bool) -> None:
        self.city_brand.add((city, brand))
        self.brand_uses[brand] = self.brand_uses.get(brand, 0) + 1
        if bare:
            self.bare_brands.add(brand)

    def chinese(self, rng: random.Random, city: str, archetype: str) -> tuple[str, str]:
        city_zh = _demonstration_cities()[city][0]
        suffixes = _ARCHETYPES[archetype]["suffixes"]
        for _ in range(500):
            city_brand = _CITY_BRANDS.get(city)
            if city_brand and (city, city_brand[0]) not in self.city_brand and rng.random() < 0.35:
                brand, with_city = city_brand, True
            else:
                brand = rng.choice(_BRANDS)
                if self.brand_uses.get(brand[0], 0) >= 3 or (city, brand[0]) in self.city_brand:
                    continue
                with_city = rng.random() < 0.65
                if not with_city and brand[0] in self.bare_brands:
                    continue
            suffix_en, suffix_zh = rng.choice(suffixes)
            name = f"{city} {brand[0]} {suffix_en}" if with_city else f"{brand[0]} {suffix_en}"
            if not self.free(name):
                continue
            legal = "" if suffix_zh.endswith("院") else "有限公司"
            zh_name = f"{city_zh if with_city else ''}{brand[1]}{suffix_zh}{legal}"
            self.take(name)
            self.register(city, brand[0], not with_city)
            return name, zh_name
        raise RuntimeError(f"ran out of provider names for {city}")  # pragma: no cover


def _org(
    *,
    kind: str,
    name: str,
    country: str,
    city: str,
    founded: int,
    size: str,
    budget: str | None,
    services_: list[str],
    target_markets: list[str],
    languages: list[str],
    certifications: list[str],
    industries: list[str],
) -> dict:
    key = _slug(name)
    return {
        "key": key,
        "kind": kind,
        "name": name,
        "country": country,
        "city": city,
        "website": f"https://{key}.example",
        "founded": founded,
        "size": size,
        "budget": budget,
        "services": services_,
        "target_markets": target_markets,
        "languages": languages,
        "certifications": certifications,
        "industries": industries,
        "visibility": "public",
        "verified": False,
        "texts": {},
    }


def _provider_fields(rng: random.Random, archetype: str) -> dict:
    spec = _ARCHETYPES[archetype]
    size = rng.choices(_PROVIDER_SIZES, _PROVIDER_SIZE_WEIGHTS)[0]
    industry_count = min(rng.choices((1, 2, 3, 4), (20, 40, 30, 10))[0], len(spec["industries"]))
    return {
        "founded": round(rng.triangular(1995, 2022, 2009)),
        "size": size,
        "services_": _pick_services(rng, spec["services"]),
        "certifications": _provider_certs(rng, archetype, size),
        "industries": rng.sample(spec["industries"], industry_count),
    }


def _pick_archetype(rng: random.Random, city: str) -> str:
    boost = _CITY_ARCHETYPE_BOOST.get(city, {})
    names = list(_ARCHETYPES)
    weights = [_ARCHETYPES[name]["weight"] * boost.get(name, 1) for name in names]
    return rng.choices(names, weights)[0]


def _chinese_providers(rng: random.Random, book: _NameBook) -> list[tuple[dict, str]]:
    result: list[tuple[dict, str]] = []
    for anchor in _CN_ANCHORS:
        city = anchor["city"]
        name = f"{city} {anchor['brand'][0]} {anchor['suffix'][0]}"
        zh_name = (
            f"{_demonstration_cities()[city][0]}{anchor['brand'][1]}{anchor['suffix'][1]}有限公司"
        )
        book.take(name)
        book.register(city, anchor["brand"][0], False)
        fields = _provider_fields(rng, anchor["archetype"])
        org = _org(
            kind="provider",
            name=name,
            country="CN",
            city=city,
            budget=None,
            target_markets=list(anchor["targets"]),
            languages=["zh", "en", *anchor["extra_languages"]],
            **fields,
        )
        org.update(_ANCHOR_FIELDS.get(org["key"], {}))
        result.append((org, zh_name))
    cities, weights = list(_CITY_WEIGHTS), list(_CITY_WEIGHTS.values())
    # Every demonstration city gets at least one provider, the rest by weight.
    plan = [
        *cities,
        *rng.choices(cities, weights, k=_N_CHINESE_PROVIDERS - len(result) - len(cities)),
    ]
    for city in plan:
        archetype = _pick_archetype(rng, city)
        name, zh_name = book.chinese(rng, city, archetype)
        languages, targets = _chinese_languages_and_targets(rng, city)
        org = _org(
            kind="provider",
            name=name,
            country="CN",
            city=city,
            budget=None,
            target_markets=targets,
            languages=languages,
            **_provider_fields(rng, archetype),
        )
        result.append((org, zh_name))
    return result


def _foreign_providers(rng: random.Random, book: _NameBook) -> list[dict]:
    result = []
    for name, country, city, archetype, languages, targets in _FOREIGN_PROVIDERS:
        book.take(name)
        org = _org(
            kind="provider",
            name=name,
            country=country,
            city=city,
            budget=None,
            target_markets=list(targets),
            languages=list(languages),
            **_provider_fields(rng, archetype),
        )
        result.append(org)
    return result


def _buyer_founded(rng: random.Random, name: str, industry: str) -> int:
    if any(word in name.split() for word in _YOUNG_NAME_WORDS):
        return round(rng.triangular(2000, 2020, 2012))
    if industry in ("finance", "insurance"):
        return round(rng.triangular(1860, 2012, 1955))
    if industry in ("ecommerce", "media"):
        return round(rng.triangular(1990, 2019, 2008))
    return round(rng.triangular(1920, 2018, 1985))


def _buyers(rng: random.Random, book: _NameBook) -> list[tuple[dict, str]]:
    result = []
    for country, city, name, industry, languages in _BUYERS:
        book.take(name)
        industries = [industry]
        if rng.random() < 0.4:
            industries.append(rng.choice(_RELATED_INDUSTRIES[industry]))
        pool = list(_INDUSTRY_NEEDS[industry])
        first = rng.choices(pool, [len(pool) - i for i in range(len(pool))])[0]
        others = [code for code in pool if code != first]
        for extra_industry in industries[1:]:
            others += [c for c in _INDUSTRY_NEEDS[extra_industry] if c not in [*others, first]]
        count = rng.choices((1, 2, 3, 4), (20, 40, 28, 12))[0]
        sought = [first, *rng.sample(others[:7], min(count - 1, len(others[:7])))]
        if len(sought) < 5 and rng.random() < 0.15:
            sought.append(rng.choice([c for c in _GENERAL_NEEDS if c not in sought]))
        size = rng.choices(_BUYER_SIZES, _BUYER_SIZE_WEIGHTS)[0]
        pool_certs = _BUYER_CERTS[industry]
        certs = rng.sample(
            pool_certs, min(rng.choices((0, 1, 2), (30, 45, 25))[0], len(pool_certs))
        )
        if "ito.software_rd" in sought and rng.random() < 0.3:
            certs.append(rng.choice(("cmmi_3", "cmmi_5")))
        langs = list(languages or _COUNTRY_LANGUAGES[country])
        if "en" not in langs:
            langs.append("en")
        org = _org(
            kind="buyer",
            name=name,
            country=country,
            city=city,
            founded=_buyer_founded(rng, name, industry),
            size=size,
            budget=rng.choice(_BUDGETS_BY_SIZE[size]),
            services_=sought,
            target_markets=[],
            languages=langs,
            certifications=_sorted_certs(certs),
            industries=industries,
        )
        org.update(_ANCHOR_FIELDS.get(org["key"], {}))
        motive = rng.choice(_SERVICE_MOTIVES[org["services"][0]])
        result.append((org, motive))
    return result


def _anchor_keys() -> list[str]:
    return [user["org_key"] for user in DEMO_USERS if user["org_key"]]


def demo_organizations(seed: int = 7) -> list[dict]:
    """Return the demo organizations; the same seed always gives the same list.

    Chinese providers in the 31 demonstration cities come first, then providers
    elsewhere, then buyers in developed and Belt and Road markets.
    """
    rng = random.Random(seed)
    book = _NameBook()
    chinese = _chinese_providers(rng, book)
    foreign = _foreign_providers(rng, book)
    buyers = _buyers(rng, book)

    for org, zh_name in chinese:
        variant = (rng.randrange(3), rng.randrange(2), rng.randrange(2))
        org["texts"] = {
            locale: _provider_text(org, locale, variant, zh_name)
            for locale in _text_locales(org["languages"])
        }
    for org in foreign:
        variant = (rng.randrange(3), rng.randrange(2), rng.randrange(2))
        org["texts"] = {
            locale: _provider_text(org, locale, variant, "")
            for locale in _text_locales(org["languages"])
        }
    for org, motive in buyers:
        variant = (rng.randrange(2), rng.randrange(2), 0)
        org["texts"] = {
            locale: _buyer_text(org, locale, variant, motive)
            for locale in _text_locales(org["languages"])
        }

    orgs = [org for org, _ in chinese] + foreign + [org for org, _ in buyers]

    anchors = set(_anchor_keys())
    for org in orgs:
        chance = 0.7 if org["kind"] == "provider" else 0.55
        org["verified"] = org["key"] in anchors or rng.random() < chance
    others = [i for i, org in enumerate(orgs) if org["key"] not in anchors]
    hidden = rng.sample(others, round(len(orgs) * 0.03))
    rest = [i for i in others if i not in set(hidden)]
    members = rng.sample(rest, round(len(orgs) * 0.08))
    for i in hidden:
        orgs[i]["visibility"] = "hidden"
    for i in members:
        orgs[i]["visibility"] = "members"
    return orgs


# ---------------------------------------------------------------------------
# Interactions
# ---------------------------------------------------------------------------

_INTERACTION_TARGET = 400
_STAGES = ("saved", "meeting_request", "meeting", "partner")
_STAGE_WEIGHTS = (45, 25, 18, 12)


def _fits_market(provider: dict, buyer: dict) -> bool:
    targets = provider["target_markets"]
    return buyer["country"] in targets or any(
        group in targets for group in market_groups(buyer["country"])
    )


def _pair_score(provider: dict, buyer: dict) -> float:
    shared = len(set(provider["services"]) & set(buyer["services"]))
    if not shared:
        return 0.0
    score = 3.0 * shared
    if _fits_market(provider, buyer):
        score += 2
    if (set(provider["languages"]) & set(buyer["languages"])) - {"en"}:
        score += 2
    score += len(set(provider["industries"]) & set(buyer["industries"]))
    score += 0.5 * len(set(provider["certifications"]) & set(buyer["certifications"]))
    return score


def demo_interactions(orgs: list[dict], seed: int = 7) -> list[tuple[str, str, str]]:
    """Return about 400 ``(source_key, target_key, kind)`` between providers and buyers.

    Pairs share at least one service and are ranked by market, language, industry
    and certification fit. Each pair has a history that ends at one stage:
    saved, a meeting request, a meeting or a partnership. Hidden orgs are left out.
    """
    rng = random.Random(seed * 1_000_003 + 17)
    visible = [org for org in orgs if org["visibility"] != "hidden"]
    providers = [org for org in visible if org["kind"] == "provider"]
    buyers = [org for org in visible if org["kind"] == "buyer"]
    anchors = _anchor_keys()

    def candidates(org: dict, others: list[dict], flip: bool) -> list[dict]:
        scored = []
        for other in others:
            provider, buyer = (other, org) if flip else (org, other)
            score = _pair_score(provider, buyer)
            if score > 0:
                scored.append((score, rng.random(), other))
        scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
        return [other for _, _, other in scored[:8]]

    # The demo users' orgs come first so they always have a history.
    anchor_groups: list[list[tuple[dict, dict]]] = []
    groups: list[list[tuple[dict, dict]]] = []
    for org in sorted(providers, key=lambda o: o["key"]):
        if org["key"] in anchors:
            top = candidates(org, buyers, flip=False)
            anchor_groups.append([(org, buyer) for buyer in rng.sample(top, min(4, len(top)))])
    ordered_buyers = [b for b in buyers if b["key"] in anchors]
    rest = [b for b in buyers if b["key"] not in anchors]
    rng.shuffle(rest)
    for buyer in ordered_buyers + rest:
        top = candidates(buyer, providers, flip=True)
        if not top:
            continue
        if buyer["key"] in anchors:
            chosen = rng.sample(top, min(4, len(top)))
            anchor_groups.append([(provider, buyer) for provider in chosen])
        else:
            chosen = rng.sample(top, min(rng.choice((1, 2, 2, 3, 3, 4)), len(top)))
            groups.append([(provider, buyer) for provider in chosen])

    # Then round-robin, so every buyer gets one pair before anyone gets a second one.
    ordered = [pair for group in anchor_groups for pair in group]
    for round_ in range(max((len(group) for group in groups), default=0)):
        ordered += [group[round_] for group in groups if round_ < len(group)]
    pairs: list[tuple[dict, dict]] = []
    seen_pairs: set[tuple[str, str]] = set()
    for provider, buyer in ordered:
        if (provider["key"], buyer["key"]) not in seen_pairs:
            seen_pairs.add((provider["key"], buyer["key"]))
            pairs.append((provider, buyer))

    result: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str, str]] = set()

    def emit(source: dict, target: dict, kind: str) -> None:
        item = (source["key"], target["key"], kind)
        if item not in seen and len(result) < _INTERACTION_TARGET:
            seen.add(item)
            result.append(item)

    for provider, buyer in pairs:
        if len(result) >= _INTERACTION_TARGET:
            break
        stage = rng.choices(_STAGES, _STAGE_WEIGHTS)[0]
        source, target = (buyer, provider) if rng.random() < 0.6 else (provider, buyer)
        if stage == "saved":
            emit(source, target, "saved")
        elif stage == "meeting_request":
            if rng.random() < 0.5:
                emit(source, target, "saved")
            emit(source, target, "meeting_request")
        elif stage == "meeting":
            emit(source, target, "meeting_request")
            emit(source, target, "meeting")
        else:
            emit(source, target, "meeting")
            emit(source, target, "partner")
        if rng.random() < 0.15:
            emit(target, source, "saved")
    return result
