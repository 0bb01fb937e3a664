"""Word lists of Indonesian news writing: roles, honorifics, sentence openers, speech verbs."""

from __future__ import annotations


def _vocab(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that start a role phrase: "Ketua KPU ...", "Kapolres ...", "Pelatih Persiba ...".
ROLE_WORDS = _vocab(
    """ketua wakil kepala anggota komisioner sekretaris sekda sekdaprov sekdakab sekdakot gubernur
    wagub bupati wabup wali walikota wawali camat lurah kades kapolda kapolres kapolresta
    kapolrestabes kapolsek kasat kasatreskrim kasi kasubag kasubbag kabag kabid kadis direktur
    dirut menteri menko wamen presiden wapres pelatih koordinator pelaksana plt plh pj penjabat
    asisten staf juru jubir komandan dandim danrem pangdam kapolri panglima rektor dekan ketum
    sekjen bendahara deputi kepsek wakasek hakim jaksa kajari kajati legislator pengamat peneliti
    dosen guru ustaz kiai mantan kalapas dirjen kadiv karo kapuspen kapendam kasdim danramil
    pakar analis manajer kapten pembina pengasuh kabiro kakanwil kasatpol terdakwa tersangka
    terlapor pelapor teradu pengadu saksi"""
)
# Lower-case words that continue a role: "anggota majelis DKPP", "ketua umum", "hakim ketua".
ROLE_TAILS = ROLE_WORDS | _vocab("majelis hakim sidang umum harian bidang divisi")
# Titles and ranks that are not part of a name when names are compared.
# Police and military ranks: "perwira menengah itu" refers back to the officer named.
RANKS = _vocab(
    """akbp akp iptu ipda aiptu aipda bripka brigpol kompol kombes brigjen irjen komjen jenderal
    mayjen letjen letkol kolonel mayor kapten serka sertu pratu laksma laksda marsma marsda
    pol inf purn"""
)
HONORIFICS = RANKS | _vocab(
    """h hj hm dr drs dra ir prof kh ust ustaz ustadz ustazah tgh habib syekh syeikh s sh mh msi
    mm se spd st mt pak bu bapak ibu"""
)
# Capitalised sentence openers that are not names.
SENTENCE_OPENERS = _vocab(
    """dalam sementara sedangkan menurut hal sebelumnya namun kemudian selain adapun padahal bahkan
    saat pada di ke dari untuk oleh ketika sebab jika kata lebih terkait dengan setelah sejak
    sebagai menanggapi meski meskipun karena lalu tak tidak ini itu hingga demikian sebanyak para
    pihak secara berdasarkan sesuai atas bagi agar supaya begitu juga pun ia dia beliau mereka
    kami kita saya apalagi kendati walau walaupun selanjutnya terpisah senada diketahui
    ditambahkan disampaikan dijelaskan seperti yakni yaitu usai seusai jelang menjelang"""
)
# "Djarot mengatakan ...": verbs after a name that make it a speaker.
SPEECH_VERBS = _vocab(
    """mengatakan menyatakan menyebut menyebutkan menjelaskan menegaskan mengungkapkan menuturkan
    menyampaikan menambahkan memaparkan menerangkan mengingatkan mengimbau meminta berharap
    mengaku menilai mencatat bilang melanjutkan menyinggung mengklaim menekankan menandaskan
    memastikan mengajak membeberkan mengutarakan berpesan berkata bercerita menjawab menanggapi
    mengapresiasi menyambut mengharapkan mengakui mendorong menyarankan menyoroti mengemukakan
    menginstruksikan memerintahkan menceritakan membenarkan membantah menampik mengonfirmasi
    menginformasikan merinci menguraikan optimistis menargetkan mengucapkan melihat hadir
    menimpali berjanji bertanya mengusulkan mempertanyakan mengeluhkan menyesalkan mengkritik
    menduga memperkirakan mengungkap menyayangkan mengingatkan menjanjikan memperingatkan"""
)
SPEECH_ADVERBS = _vocab("juga pun lalu kemudian sempat kembali tetap turut")
# "...,” ujar Sri": attribution verbs after a quote (with -nya: the person last named).
ATTRIBUTION_VERBS = _vocab(
    """ujar kata tutur jelas tandas ungkap imbuh papar terang tegas sebut lanjut tambah pungkas
    ucap sambung beber tulis tukas timpal cetus urai seru kilah aku harap pinta ajak sahut bilang
    kenang tanya jawab pesan imbau tutup katakan ujarkan"""
)
# "kata Afif", "Menurut Afif", "disampaikan Djarot": words before a speaker's name.
INTRODUCERS = ATTRIBUTION_VERBS | _vocab(
    """menurut disampaikan diungkapkan dijelaskan ditegaskan dikatakan oleh dibacakan diketuai
    dipimpin"""
)
# Words after which a full stop does not end a sentence.
ABBREVIATIONS = _vocab(
    """a b c d e f g h i j k l m n o p q r s t u v w x y z hj dr drs dra ir prof kh st jl jln kab
    kec kel no tbk rp sh mh mm se si sos pd ag ak kom pt cv dkk dll dsb red ust nn ny tn bpk
    sdr"""
)
# Roles that make a quote's speaker senior enough to carry a post.
SENIOR_ROLES = _vocab(
    """ketua kepala gubernur bupati wali walikota menteri presiden wapres kapolres kapolda kapolri
    sekda sekdaprov panglima pangdam dandim komisioner anggota direktur ketum"""
)
# Days and months: capitalised, never part of a name ("ketua RT, Sabtu (5/8)").
CALENDAR_WORDS = _vocab(
    """senin selasa rabu kamis jumat sabtu minggu ahad januari februari maret april mei juni juli
    agustus september oktober november desember"""
)
# Words that end a role description: the clause has moved on to place, time or manner.
CLAUSE_WORDS = _vocab(
    """di kepada saat usai seusai ketika dalam pada sambil dengan yang bahwa ia dia beliau
    mereka kami saya nya untuk karena agar lalu kemudian"""
)
# Regions news writes in short, and words of an administrative area: never a person's name.
REGIONS = _vocab(
    """ri pusat provinsi kabupaten kota kaltim kaltara kalsel kalteng kalbar jatim jateng jabar
    sulsel sulteng sultra sulut sulbar sumut sumbar sumsel ntb ntt diy dki babel kepri malut
    kukar kutim kubar mahulu ppu samarinda balikpapan bontang paser berau tenggarong penajam
    jakarta indonesia utara selatan timur barat tengah tenggara kalimantan sulawesi sumatera jawa
    papua nusa seberang ulu ilir hulu hilir"""
)
# Words of an institution's name: "Ketua Umum Partai Demokrat", "Rektor Universitas X".
ORG_WORDS = _vocab(
    """umum partai dinas badan komisi dewan majelis pengadilan negeri tinggi agama universitas
    institut sekolah kantor balai lembaga kementerian biro bagian bidang divisi seksi unit urusan
    daerah nasional wilayah cabang pimpinan harian pengurus forum asosiasi ikatan persatuan
    himpunan gerakan yayasan perusahaan bank kepolisian resor sektor pemerintah pemerintahan
    perwakilan rakyat timnas satgas posko panitia pengawas pemilihan penyelenggara kehormatan
    mahkamah konstitusi demokrat golkar gerindra nasdem hanura perindo sosialisasi pencegahan
    penindakan hukum teknis perencanaan data informasi keuangan logistik kampanye pemungutan
    suara kesehatan pendidikan sosial perhubungan pariwisata kominfo informatika komunikasi
    kependudukan pencatatan sipil kesbangpol setda setkab sekretariat kecamatan kelurahan desa
    pemilih partisipasi masyarakat kelas sma smk smp sd perludem unmul pemilu pilkada pilgub
    pilbup pilwali pileg pilpres
    politik keamanan kabinet pertahanan perekonomian kemaritiman investasi pembangunan
    kebudayaan dasar menengah pemuda olahraga pemberdayaan perlindungan perempuan koperasi
    ukm perdagangan perindustrian pertanian perkebunan kehutanan perikanan kelautan energi
    mineral pekerjaan perumahan transportasi tenaga kerja transmigrasi kesatuan bangsa
    ketertiban kebakaran bencana penanggulangan pangan ketahanan lingkungan kependudukan
    keluarga berencana riset teknologi inovasi sains statistik persandian kearsipan
    perpustakaan pendapatan aset protokol humas hubungan pelayanan perizinan penanaman modal
    terpadu pemasyarakatan imigrasi keagamaan negara bawaslu panwaslu panwascam panwaslih
    gakkumdu polri kejaksaan kejari kejati"""
)
# Initials that start a name: "Pelatih Persiba M. Nasuha", "Anggota KPU Bali I Gede John".
NAME_INITIALS = _vocab("m i ni")
# Sentence openers that need the sentence before: a lead never starts with one.
NEEDS_BEFORE = _vocab(
    """mereka namun tetapi tapi sementara selain sedangkan adapun bahkan padahal kemudian lalu
    sehingga maka meski meskipun walau walaupun demikian selanjutnya sebelumnya menurutnya
    pihaknya bahwa dan atau serta pun juga kami kita saya kendati apalagi begitu diakuinya
    katanya sebab makanya toh nah ia dia beliau"""
)
